// zlib, for the simulator's PNG encoder (Debian: zlib1g-dev).
#include <zlib.h>
