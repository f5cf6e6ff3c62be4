#ifndef DARKROOM_CSHA256_H
#define DARKROOM_CSHA256_H

#include <stddef.h>
#include <stdint.h>

/// SHA-256's 64 round constants (FIPS 180-4, 4.2.2), for the Swift rounds too.
const uint32_t *darkroom_sha256_round_constants(void);

/// 1 when this CPU has the SHA extensions (and SSSE3/SSE4.1) that
/// `darkroom_sha256_blocks_hw` needs; 0 otherwise, and on every CPU that is not x86-64.
int darkroom_sha256_hw_available(void);

/// Runs SHA-256's compression over `blocks` whole 64-byte blocks at `data`,
/// updating `state` (H0..H7, as in FIPS 180-4). Only call it when
/// `darkroom_sha256_hw_available()` returned 1.
void darkroom_sha256_blocks_hw(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
