// SPDX-License-Identifier: Apache-2.0
// A real OpenID Connect provider for the dashboard test: the oidc-provider
// package from npm (certified by the OpenID Foundation), over HTTPS with a
// certificate OpenSSL's command line made, its development sign-in pages
// (any password; the login names the account). Three people:
//   alice: groups posture-admins  -> admin
//   bob:   groups staff           -> viewer
//   carol: groups contractors     -> no role here
// Usage: node oidc-provider.mjs PORT KEY.pem CERT.pem REDIRECT_URI
import fs from 'node:fs';
import https from 'node:https';
import Provider from 'oidc-provider';

const [port, keyFile, certFile, redirectUri] = process.argv.slice(2);
const issuer = `https://localhost:${port}`;
const people = {
  alice: { email: 'alice@example.com', groups: ['posture-admins', 'staff'] },
  bob: { email: 'bob@example.com', groups: ['staff'] },
  carol: { email: 'carol@example.com', groups: ['contractors'] },
};

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'posture',
    client_secret: 'posture-test-secret-0123456789abcdef',
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  claims: { openid: ['sub'], email: ['email'], profile: ['groups'] },
  // the claims in the ID token, where the collector reads them
  conformIdTokenClaims: false,
  pkce: { methods: ['S256'], required: () => true },
  cookies: { keys: ['posture-dashboard-test'] },
  async findAccount(ctx, id) {
    if (!people[id]) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...people[id] }; } };
  },
});
provider.on('server_error', (ctx, err) => console.error('oidc-provider:', err));
https.createServer({ key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile) }, provider.callback())
  .listen(Number(port), '127.0.0.1', () => console.log(`oidc-provider ${issuer} ready`));
