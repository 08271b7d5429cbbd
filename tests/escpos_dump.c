/* tests/escpos_dump.c - the receipt test renderer (support/escpos_render.h)
 * for shell tests: `escpos_dump FILE DOTS OUT.png` renders the ESC/POS
 * bytes a sim board's printer file holds as the printer would, writes the
 * picture to OUT.png, and prints every printed line, then "qr: PAYLOAD"
 * and "cuts: N". Exit 1 when the bytes hold anything a printer would read
 * differently (the renderer refuses them), 2 on bad arguments. */
#include <stdio.h>
#include <stdlib.h>

#include <SDL_image.h>

#include "base/file.h"
#include "tests/support/escpos_render.h"

int main(int argc, char **argv)
{
    char *bytes = NULL, msg[256];
    size_t len = 0;
    struct escpos_page page;
    if (argc != 4 || atoi(argv[2]) <= 0) {
        fprintf(stderr, "usage: escpos_dump FILE DOTS OUT.png\n");
        return 2;
    }
    if (file_read_capped(argv[1], 1 << 20, &bytes, &len) != ERR_OK) {
        fprintf(stderr, "escpos_dump: cannot read %s\n", argv[1]);
        return 1;
    }
    err_code e = escpos_render((const unsigned char *)bytes, len,
                               atoi(argv[2]),
                               "assets/fonts/NotoSansSC-kiosk.otf", &page,
                               msg, sizeof msg);
    free(bytes);
    if (e != ERR_OK) {
        fprintf(stderr, "escpos_dump: %s\n", msg);
        return 1;
    }
    int rc = IMG_SavePNG(page.img, argv[3]) == 0 ? 0 : 1;
    printf("%sqr: %s\ncuts: %d\n", page.text, page.qr, page.cuts);
    SDL_FreeSurface(page.img);
    return rc;
}
