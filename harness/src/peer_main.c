/* SPDX-License-Identifier: MIT */
/* vconform-peer: being written */
int main(void) { return 0; }
