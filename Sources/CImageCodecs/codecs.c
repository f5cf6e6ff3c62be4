#include "CImageCodecs.h"
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <jpeglib.h>
#include <webp/decode.h>
#include <webp/encode.h>

static int fail(dr_image *out, const char *why) {
    snprintf(out->error, sizeof out->error, "%s", why);
    free(out->rgba);
    out->rgba = NULL;
    out->width = out->height = 0;
    return -1;
}

static int too_large(size_t w, size_t h, size_t max_pixels) {
    return w == 0 || h == 0 || w > 65535 || h > 65535 || w * h > max_pixels;
}

int dr_decode_png(const uint8_t *data, size_t size, size_t max_pixels, dr_image *out) {
    memset(out, 0, sizeof *out);
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&img, data, size)) return fail(out, img.message);
    if (too_large(img.width, img.height, max_pixels)) {
        png_image_free(&img);
        return fail(out, "image too large to preview");
    }
    img.format = PNG_FORMAT_RGBA;
    out->rgba = malloc(PNG_IMAGE_SIZE(img));
    if (!out->rgba) { png_image_free(&img); return fail(out, "out of memory"); }
    if (!png_image_finish_read(&img, NULL, out->rgba, 0, NULL)) {
        char why[200];
        snprintf(why, sizeof why, "%s", img.message);
        png_image_free(&img);
        return fail(out, why);
    }
    out->width = (int)img.width;
    out->height = (int)img.height;
    return 0;
}

struct jpeg_fail { struct jpeg_error_mgr mgr; jmp_buf jump; char message[JMSG_LENGTH_MAX]; };

static void jpeg_fail_exit(j_common_ptr cinfo) {
    struct jpeg_fail *f = (struct jpeg_fail *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, f->message);
    longjmp(f->jump, 1);
}

static void jpeg_quiet(j_common_ptr cinfo, int level) { (void)cinfo; (void)level; }

int dr_decode_jpeg(const uint8_t *data, size_t size, size_t max_pixels, dr_image *out) {
    memset(out, 0, sizeof *out);
    struct jpeg_decompress_struct cinfo;
    struct jpeg_fail err;
    uint8_t *volatile rgb = NULL;
    cinfo.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = jpeg_fail_exit;
    err.mgr.emit_message = jpeg_quiet;
    if (setjmp(err.jump)) {
        jpeg_destroy_decompress(&cinfo);
        free(rgb);
        return fail(out, err.message);
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, (unsigned char *)data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    if (too_large(cinfo.image_width, cinfo.image_height, max_pixels)) {
        jpeg_destroy_decompress(&cinfo);
        return fail(out, "image too large to preview");
    }
    cinfo.out_color_space = JCS_RGB;
    jpeg_start_decompress(&cinfo);
    size_t w = cinfo.output_width, h = cinfo.output_height;
    rgb = malloc(w * h * 3);
    if (!rgb) { jpeg_destroy_decompress(&cinfo); return fail(out, "out of memory"); }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = rgb + (size_t)cinfo.output_scanline * w * 3;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    out->rgba = malloc(w * h * 4);
    if (!out->rgba) { free(rgb); return fail(out, "out of memory"); }
    for (size_t i = 0; i < w * h; i++) {
        out->rgba[i * 4] = rgb[i * 3];
        out->rgba[i * 4 + 1] = rgb[i * 3 + 1];
        out->rgba[i * 4 + 2] = rgb[i * 3 + 2];
        out->rgba[i * 4 + 3] = 255;
    }
    free(rgb);
    out->width = (int)w;
    out->height = (int)h;
    return 0;
}

int dr_decode_webp(const uint8_t *data, size_t size, size_t max_pixels, dr_image *out) {
    memset(out, 0, sizeof *out);
    int w = 0, h = 0;
    if (!WebPGetInfo(data, size, &w, &h)) return fail(out, "not a valid WebP image");
    if (too_large((size_t)w, (size_t)h, max_pixels)) return fail(out, "image too large to preview");
    uint8_t *px = WebPDecodeRGBA(data, size, &w, &h);
    if (!px) return fail(out, "the WebP data is corrupt or truncated");
    out->rgba = malloc((size_t)w * h * 4);
    if (!out->rgba) { WebPFree(px); return fail(out, "out of memory"); }
    memcpy(out->rgba, px, (size_t)w * h * 4);
    WebPFree(px);
    out->width = w;
    out->height = h;
    return 0;
}

void dr_image_free(dr_image *img) {
    free(img->rgba);
    img->rgba = NULL;
}

uint8_t *dr_encode_jpeg(const uint8_t *rgba, int width, int height, int quality, size_t *size) {
    struct jpeg_compress_struct cinfo;
    struct jpeg_fail err;
    unsigned char *volatile buf = NULL;
    unsigned long len = 0;
    uint8_t *volatile row = NULL;
    cinfo.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = jpeg_fail_exit;
    if (setjmp(err.jump)) {
        jpeg_destroy_compress(&cinfo);
        free(row);
        free(buf);
        return NULL;
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, (unsigned char **)&buf, &len);
    cinfo.image_width = (JDIMENSION)width;
    cinfo.image_height = (JDIMENSION)height;
    cinfo.input_components = 3;
    cinfo.in_color_space = JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    row = malloc((size_t)width * 3);
    while (cinfo.next_scanline < cinfo.image_height) {
        const uint8_t *src = rgba + (size_t)cinfo.next_scanline * width * 4;
        for (int x = 0; x < width; x++) {
            row[x * 3] = src[x * 4];
            row[x * 3 + 1] = src[x * 4 + 1];
            row[x * 3 + 2] = src[x * 4 + 2];
        }
        JSAMPROW r = row;
        jpeg_write_scanlines(&cinfo, &r, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    free(row);
    *size = len;
    return buf;
}

uint8_t *dr_encode_webp(const uint8_t *rgba, int width, int height, float quality, size_t *size) {
    uint8_t *webp = NULL;
    size_t len = WebPEncodeRGBA(rgba, width, height, width * 4, quality, &webp);
    if (len == 0) return NULL;
    // Copy into malloc'ed memory so one free function serves both encoders.
    uint8_t *out = malloc(len);
    if (out) memcpy(out, webp, len);
    WebPFree(webp);
    *size = len;
    return out;
}

uint8_t *dr_encode_png(const uint8_t *pixels, int width, int height, int channels, size_t *size) {
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = (png_uint_32)width;
    img.height = (png_uint_32)height;
    img.format = channels == 4 ? PNG_FORMAT_RGBA : PNG_FORMAT_RGB;
    png_alloc_size_t len = 0;
    // First pass measures, second writes (libpng's simplified API).
    if (!png_image_write_to_memory(&img, NULL, &len, 0, pixels, 0, NULL)) { png_image_free(&img); return NULL; }
    uint8_t *out = malloc(len);
    if (!out) { png_image_free(&img); return NULL; }
    if (!png_image_write_to_memory(&img, out, &len, 0, pixels, 0, NULL)) {
        png_image_free(&img);
        free(out);
        return NULL;
    }
    png_image_free(&img);
    *size = len;
    return out;
}

void dr_buffer_free(uint8_t *buffer) { free(buffer); }
