// ncurses for Swift (Debian: libncurses-dev). The wide-character API needs
// NCURSES_WIDECHAR before the header; SwiftPM drops the defines a .pc carries.
#ifndef DARKROOM_CNCURSES_SHIM_H
#define DARKROOM_CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Macros and globals Swift cannot see.
static inline WINDOW *dr_stdscr(void) { return stdscr; }
static inline int dr_lines(void) { return LINES; }
static inline int dr_cols(void) { return COLS; }
static inline attr_t dr_a_bold(void) { return A_BOLD; }
static inline attr_t dr_a_dim(void) { return A_DIM; }
static inline attr_t dr_a_reverse(void) { return A_REVERSE; }
static inline attr_t dr_a_underline(void) { return A_UNDERLINE; }
static inline int dr_colors(void) { return COLORS; }
static inline int dr_color_pairs(void) { return COLOR_PAIRS; }
static inline int dr_wcwidth(wchar_t c) { return wcwidth(c); }
// Repaints the whole terminal from ncurses' picture of it (after a suspend).
static inline int dr_repaint_all(void) { return wrefresh(curscr); }
// Writes one cell: a grapheme of up to 5 wide chars with attributes and a colour
// pair. The pair goes through setcchar's extension argument, so pairs past 32767 work.
static inline int dr_put_cell(int y, int x, const wchar_t *wch, attr_t attrs, int pair) {
    cchar_t cc;
    if (setcchar(&cc, wch, attrs, 0, &pair) != OK) return ERR;
    return mvwadd_wch(stdscr, y, x, &cc);
}
// Whether terminfo says the terminal takes direct (24-bit) colour numbers.
static inline int dr_has_direct_color(void) { return tigetflag("RGB") > 0 && COLORS >= 0x1000000; }
#endif
