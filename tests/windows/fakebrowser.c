/* SPDX-License-Identifier: Apache-2.0 */
/* A stand-in for a browser's executable: what the agent reads of it is its
 * version resource (fakebrowser.rc); it is never run. */
int main(void)
{
	return 0;
}
