/* SPDX-License-Identifier: Apache-2.0 */
/*
 * secdir: the agent's state directory on Windows, which only SYSTEM and
 * Administrators may write to: what modes and owners are on Linux
 * (agent/statedir.c), ACLs are here. C:\ProgramData's own ACL lets every
 * user create files and folders below it (and own what they create), so a
 * folder there that inherits it would let any local user plant a policy
 * or a certificate for the agent to trust.
 */
#ifndef POSTURE_WIN_SECDIR_H
#define POSTURE_WIN_SECDIR_H

#include <stddef.h>
#include <windows.h>

/* Creates DIR (its parent must exist) with a protected DACL, inheriting
 * nothing: full control for SYSTEM and Administrators, to this folder and
 * all below it, and nothing for anyone else. A DIR that exists is left as
 * it is, for secdir_trusted to judge. 0, or -1 with ERR. */
int secdir_create(const char *dir, char *err, size_t err_len);

/*
 * Whether only SYSTEM, Administrators and TrustedInstaller may write to DIR
 * or change its ACL: its owner is one of them or the account this process
 * runs as (SYSTEM for the service; as on Linux, where the agent's own user
 * may own its state directory), it has a DACL, and no ACE
 * allows anyone else to write, append, delete, or change permissions or
 * owner (CREATOR OWNER too is accepted: it gives a new file's creator
 * control of it, and only the three may create). 0, or -1 with ERR naming
 * the account and what it may do.
 */
int secdir_trusted(const char *dir, char *err, size_t err_len);

/* C:\ProgramData\Posture itself, where posture.ini and policy.ini are:
 * it inherits C:\ProgramData's ACL when the MSI makes it, which lets every
 * user create files there (a policy.ini an administrator removed, an
 * enrollment secret). Gives it a protected DACL instead: SYSTEM and
 * Administrators full control, Users read and execute, inherited below
 * (the state folder keeps its own, protected one). 0, or -1 with ERR. */
int secdir_protect_data(const char *dir, char *err, size_t err_len);

/* The rule of secdir_trusted applied to SD, the security descriptor of DIR
 * (named in ERR). 0, or -1 with ERR. */
int secdir_judge(const char *dir, PSECURITY_DESCRIPTOR sd, char *err, size_t err_len);

#endif
