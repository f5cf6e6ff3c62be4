// Sixel by libsixel (libsixel-dev): a palette of up to 256 colours chosen for
// the picture, error diffusion, and the smallest encoding.
#include "CImageCodecs.h"
#include <stdlib.h>
#include <string.h>
#include <sixel/sixel.h>

typedef struct { uint8_t *data; size_t size, capacity; int failed; } dr_growing;

static int dr_collect(char *data, int size, void *priv) {
    dr_growing *g = priv;
    if (g->failed) return 0;
    if (g->size + (size_t)size > g->capacity) {
        size_t cap = g->capacity ? g->capacity * 2 : 65536;
        while (cap < g->size + (size_t)size) cap *= 2;
        uint8_t *p = realloc(g->data, cap);
        if (!p) { g->failed = 1; return 0; }
        g->data = p;
        g->capacity = cap;
    }
    memcpy(g->data + g->size, data, (size_t)size);
    g->size += (size_t)size;
    return size;
}

uint8_t *dr_encode_sixel(const uint8_t *rgb, int width, int height, size_t *size) {
    sixel_output_t *output = NULL;
    sixel_dither_t *dither = NULL;
    dr_growing g = {0};
    uint8_t *pixels = malloc((size_t)width * (size_t)height * 3);
    if (!pixels) return NULL;
    // libsixel may rearrange what it is given: a copy.
    memcpy(pixels, rgb, (size_t)width * (size_t)height * 3);
    uint8_t *result = NULL;
    if (SIXEL_FAILED(sixel_output_new(&output, dr_collect, &g, NULL))) goto done;
    sixel_output_set_encode_policy(output, SIXEL_ENCODEPOLICY_SIZE);
    if (SIXEL_FAILED(sixel_dither_new(&dither, 256, NULL))) goto done;
    if (SIXEL_FAILED(sixel_dither_initialize(dither, pixels, width, height, SIXEL_PIXELFORMAT_RGB888,
                                              SIXEL_LARGE_AUTO, SIXEL_REP_AUTO, SIXEL_QUALITY_AUTO))) goto done;
    if (SIXEL_FAILED(sixel_encode(pixels, width, height, 3, dither, output))) goto done;
    if (!g.failed) { result = g.data; *size = g.size; g.data = NULL; }
done:
    if (dither) sixel_dither_unref(dither);
    if (output) sixel_output_unref(output);
    free(g.data);
    free(pixels);
    return result;
}
