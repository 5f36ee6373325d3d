"""Image files for tests, made with Pillow (and by hand where Pillow would refuse)."""

import io
import struct
import zlib

from PIL import Image as PILImage


def picture(format_name="JPEG", size=(1200, 800), color=(30, 90, 160), **save):
    """A real image of `size` in `format_name`, as bytes."""
    mode = "RGBA" if format_name in ("PNG", "WEBP") else "RGB"
    image = PILImage.new(mode, size, color)
    # Some detail, so renditions and re-encodings are not trivially uniform.
    for x in range(0, size[0], 40):
        for y in range(size[1] // 3, size[1] // 3 + 20):
            image.putpixel((x, y), (250, 250, 250) if mode == "RGB" else (250, 250, 250, 255))
    if format_name == "GIF":
        image = image.convert("P")
    out = io.BytesIO()
    image.save(out, format=format_name, **save)
    return out.getvalue()


def jpeg_with_gps(size=(640, 480)):
    """A JPEG whose EXIF says where it was taken (Minsk) and with which camera."""
    image = PILImage.new("RGB", size, (120, 140, 90))
    exif = PILImage.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (53.0, 54.0, 0.0)
    gps[3] = "E"
    gps[4] = (27.0, 34.0, 0.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(kind + data) & 0xFFFFFFFF
    )


def png_bomb(side=40_000):
    """A small PNG that claims side × side pixels (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    row = b"\x00" + b"\x00" * (side * 3)
    data = zlib.compress(row * 4, 9)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(
        b"IEND", b""
    )


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>'
)
