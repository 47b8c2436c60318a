/*
 * fuzz.h - what the harnesses share: the libFuzzer entry points and scratch files.
 *
 * Every harness defines LLVMFuzzerTestOneInput() (and may define LLVMFuzzerInitialize()). In
 * the QT_FUZZ tree libFuzzer supplies main(); in the normal trees replay_main.c does, running
 * each file named on the command line once, so the corpus and the regression inputs are tests.
 *
 * A harness must not keep state that changes what the next input does (libFuzzer reproduces a
 * crash from one input alone): engines and contexts made once are fine, counters are not.
 */
#ifndef QT_FUZZ_H
#define QT_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A scratch directory of this process, made on first use and removed (with the files in it)
 * at exit. Aborts when it cannot be made: a harness that cannot write files tests nothing. */
const char *fuzz_tmpdir(void);
/* Write data[0..n) to fuzz_tmpdir()/name (replacing it); returns the path (static buffer, valid
 * until the next call). Aborts on failure. */
const char *fuzz_write(const char *name, const void *data, size_t n);

#endif
