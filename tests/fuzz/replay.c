// SPDX-License-Identifier: GPL-2.0-or-later
/* Without libFuzzer: run a harness once on each file named on the command line. */
#include <stdio.h>

#include "fuzz.h"

int main(int argc, char **argv)
{
	int i, n = 0;

	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		uint8_t *buf;
		long len;

		if (!f)
			continue;
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		fseek(f, 0, SEEK_SET);
		buf = malloc(len > 0 ? (size_t)len : 1);
		if (!buf || (len > 0 && fread(buf, 1, (size_t)len, f) != (size_t)len))
			abort();
		fclose(f);
		LLVMFuzzerTestOneInput(buf, len > 0 ? (size_t)len : 0);
		free(buf);
		n++;
	}
	printf("%d inputs\n", n);
	return 0;
}
