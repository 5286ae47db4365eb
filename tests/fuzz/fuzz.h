/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One libFuzzer harness per parser (fuzz-<parser>.c). Built with clang's
 * -fsanitize=fuzzer when clang is installed (run-fuzz.sh), and always with
 * the project's compiler against replay.c, which feeds each seed file once,
 * so every harness runs in ctest even without clang.
 */
#ifndef GC_FUZZ_H
#define GC_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a NUL-terminated string (parsers take text). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Call fn on each line of the input, as the line streamer hands them over. */
#define FUZZ_LINES(data, size, line, body)                                         \
	do {                                                                       \
		char *text_ = fuzz_cstr(data, size), *save_ = NULL, *line;         \
		for (line = strtok_r(text_, "\n", &save_); line;                   \
		     line = strtok_r(NULL, "\n", &save_)) {                        \
			body;                                                      \
		}                                                                  \
		free(text_);                                                       \
	} while (0)

#endif
