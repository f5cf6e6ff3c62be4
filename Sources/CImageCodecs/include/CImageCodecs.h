// Decoders and encoders for the three formats the API returns, on the system
// libraries made for them: libpng, libjpeg(-turbo) and libwebp. Written in C so
// libjpeg's setjmp/longjmp error handling never crosses Swift frames.
#ifndef DARKROOM_CIMAGECODECS_H
#define DARKROOM_CIMAGECODECS_H
#include <stddef.h>
#include <stdint.h>

/// A decoded image: 8-bit RGBA, rows top to bottom, no padding.
typedef struct {
    int width;
    int height;
    uint8_t *rgba;     // malloc'ed; release with dr_image_free
    char error[200];   // set when a decoder returns non-zero
} dr_image;

/// Each returns 0 on success. On failure `out->error` says why and nothing is
/// left allocated. Images over `max_pixels` are refused before decoding.
int dr_decode_png(const uint8_t *data, size_t size, size_t max_pixels, dr_image *out);
int dr_decode_jpeg(const uint8_t *data, size_t size, size_t max_pixels, dr_image *out);
int dr_decode_webp(const uint8_t *data, size_t size, size_t max_pixels, dr_image *out);
void dr_image_free(dr_image *img);

/// Encoders for fixtures and the simulator. Return a malloc'ed buffer (release
/// with dr_buffer_free) and its size in `*size`, or NULL.
/// PNG by libpng: `channels` is 3 (RGB) or 4 (RGBA).
uint8_t *dr_encode_png(const uint8_t *pixels, int width, int height, int channels, size_t *size);
uint8_t *dr_encode_jpeg(const uint8_t *rgba, int width, int height, int quality, size_t *size);
uint8_t *dr_encode_webp(const uint8_t *rgba, int width, int height, float quality, size_t *size);
void dr_buffer_free(uint8_t *buffer);
/// Sixel by libsixel from 8-bit RGB (a DCS ... ST sequence, 256 colours, diffused).
uint8_t *dr_encode_sixel(const uint8_t *rgb, int width, int height, size_t *size);
#endif
