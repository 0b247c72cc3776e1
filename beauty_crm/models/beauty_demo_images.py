# Pictures of the demo salon, drawn by the project at install time (no photos,
# no third-party artwork): flat icons for services, abstract portraits for
# specialists and the salon's logo.
import base64
import io

from PIL import Image, ImageDraw, ImageFont

from odoo.tools.misc import file_path

SIZE = 256
# Marck Script (SIL OFL, shipped by Odoo's web module) writes Cyrillic.
FONT = "web/static/fonts/sign/MarckScript-Regular.ttf"

# Pastel backgrounds and a deeper tone for the motif, one pair per picture.
PALETTES = [
    ("#efe7f6", "#8e6bb8"),
    ("#e6f2ee", "#4f8f7a"),
    ("#fbe9e7", "#c0675a"),
    ("#fdf3e1", "#c58b2c"),
    ("#e7eef8", "#5b7fb3"),
    ("#f6e6ef", "#b45c8a"),
]


def _png(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return base64.b64encode(buffer.getvalue())


def _canvas(palette):
    background, _ink = PALETTES[palette % len(PALETTES)]
    image = Image.new("RGB", (SIZE, SIZE), background)
    return image, ImageDraw.Draw(image)


def _sprig(draw, ink, cx, top, bottom):
    """A lavender sprig: a stem and pairs of small buds."""
    draw.line([(cx, top), (cx, bottom)], fill=ink, width=5)
    y = top
    step = (bottom - top) // 8
    for i in range(5):
        w = 16 - i * 2
        draw.ellipse([cx - w - 10, y, cx - 4, y + 16], fill=ink)
        draw.ellipse([cx + 4, y, cx + w + 10, y + 16], fill=ink)
        y += step


def _motif_face(draw, ink):
    draw.ellipse([78, 48, 178, 170], outline=ink, width=8)
    draw.arc([104, 112, 152, 142], 20, 160, fill=ink, width=6)
    draw.ellipse([104, 92, 116, 104], fill=ink)
    draw.ellipse([140, 92, 152, 104], fill=ink)
    for x in (60, 188):
        draw.polygon([(x, 186), (x - 10, 206), (x + 10, 206)], fill=ink)
        draw.ellipse([x - 10, 198, x + 10, 218], fill=ink)


def _motif_drop(draw, ink):
    draw.polygon([(128, 44), (80, 140), (176, 140)], fill=ink)
    draw.ellipse([80, 100, 176, 196], fill=ink)
    draw.ellipse([104, 130, 124, 150], fill="#ffffff")


def _motif_syringe(draw, ink):
    draw.rounded_rectangle([112, 70, 144, 170], 6, outline=ink, width=7)
    draw.line([(128, 170), (128, 214)], fill=ink, width=4)
    draw.line([(100, 70), (156, 70)], fill=ink, width=8)
    draw.line([(128, 40), (128, 70)], fill=ink, width=8)
    draw.line([(108, 40), (148, 40)], fill=ink, width=8)
    for y in (96, 120, 144):
        draw.line([(112, y), (126, y)], fill=ink, width=4)


def _motif_hair(draw, ink):
    for i, x in enumerate(range(70, 200, 26)):
        draw.arc([x - 40, 40 + i * 4, x + 20, 220], 270, 90, fill=ink, width=8)


def _motif_scissors(draw, ink):
    draw.ellipse([64, 150, 112, 198], outline=ink, width=8)
    draw.ellipse([144, 150, 192, 198], outline=ink, width=8)
    draw.line([(100, 156), (170, 52)], fill=ink, width=9)
    draw.line([(156, 156), (86, 52)], fill=ink, width=9)


def _motif_nails(draw, ink):
    for i, x in enumerate((70, 104, 138, 172)):
        top = 70 + abs(1.5 - i) * 18
        draw.rounded_rectangle([x, top, x + 26, top + 110], 13, outline=ink, width=6)
        draw.rounded_rectangle([x + 5, top + 5, x + 21, top + 40], 8, fill=ink)


def _motif_lashes(draw, ink):
    draw.arc([56, 80, 200, 200], 200, 340, fill=ink, width=8)
    for x, y, dx in (
        (72, 118, -18),
        (98, 98, -8),
        (128, 92, 0),
        (158, 98, 8),
        (184, 118, 18),
    ):
        draw.line([(x, y), (x + dx, y - 34)], fill=ink, width=6)
    draw.ellipse([108, 126, 148, 166], fill=ink)


def _motif_brows(draw, ink):
    draw.arc([40, 70, 124, 150], 200, 330, fill=ink, width=12)
    draw.arc([132, 70, 216, 150], 210, 340, fill=ink, width=12)
    draw.ellipse([66, 130, 98, 162], fill=ink)
    draw.ellipse([158, 130, 190, 162], fill=ink)


def _motif_laser(draw, ink):
    draw.ellipse([104, 104, 152, 152], fill=ink)
    for dx, dy in (
        (0, -1),
        (1, 0),
        (0, 1),
        (-1, 0),
        (1, 1),
        (-1, -1),
        (1, -1),
        (-1, 1),
    ):
        draw.line(
            [(128 + dx * 40, 128 + dy * 40), (128 + dx * 76, 128 + dy * 76)],
            fill=ink,
            width=7,
        )


def _motif_massage(draw, ink):
    for r in (30, 55, 80):
        draw.arc([128 - r, 128 - r, 128 + r, 128 + r], 200, 340, fill=ink, width=7)
    draw.ellipse([108, 150, 148, 190], fill=ink)


MOTIFS = {
    "face": _motif_face,
    "drop": _motif_drop,
    "syringe": _motif_syringe,
    "hair": _motif_hair,
    "scissors": _motif_scissors,
    "nails": _motif_nails,
    "lashes": _motif_lashes,
    "brows": _motif_brows,
    "laser": _motif_laser,
    "massage": _motif_massage,
}


def service_picture(motif, palette):
    """A flat icon for a service: a rounded tile with the motif and a sprig."""
    image, draw = _canvas(palette)
    ink = PALETTES[palette % len(PALETTES)][1]
    draw.rounded_rectangle([12, 12, SIZE - 12, SIZE - 12], 36, outline=ink, width=4)
    MOTIFS[motif](draw, ink)
    return _png(image)


def specialist_picture(palette, hair=0):
    """An abstract portrait: head, shoulders and a hair line, no face."""
    image, draw = _canvas(palette)
    ink = PALETTES[palette % len(PALETTES)][1]
    draw.ellipse([0, 150, SIZE, SIZE + 130], fill=ink)
    draw.ellipse([84, 52, 172, 150], fill="#f3dcc8")
    if hair == 0:
        draw.pieslice([78, 40, 178, 140], 180, 360, fill="#5a3e36")
        draw.rectangle([78, 88, 92, 170], fill="#5a3e36")
        draw.rectangle([164, 88, 178, 170], fill="#5a3e36")
    elif hair == 1:
        draw.pieslice([80, 42, 176, 130], 180, 360, fill="#2b2b2b")
        draw.ellipse([150, 30, 190, 70], fill="#2b2b2b")
    else:
        draw.pieslice([78, 40, 178, 136], 170, 370, fill="#b9854f")
    draw.ellipse([118, 160, 138, 180], fill="#ffffff")
    return _png(image)


def salon_logo(name, palette=0):
    """The salon's logo: a lavender sprig beside its name."""
    ink = PALETTES[palette % len(PALETTES)][1]
    font = ImageFont.truetype(file_path(FONT), 52)
    width = int(font.getlength(name)) + 110
    image = Image.new("RGBA", (width, 90), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    _sprig(draw, ink, 40, 8, 86)
    draw.text((84, 18), name, font=font, fill=ink)
    return _png(image)
