"""Checking uploaded media by what the bytes are, not by the name or the browser's word.

Used for incident evidence, protocol photos and checklist photos: the first bytes decide the
type; anything not on the allowed list, or larger than its limit, is refused with a message in
the user's language."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")
VIDEO_TYPES = ("video/mp4", "video/webm", "video/quicktime")
IMAGE_MAX_BYTES = 10 * 1024 * 1024
VIDEO_MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    size: int
    extension: str


_EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "video/mp4": "mp4",
    "video/webm": "webm",
    "video/quicktime": "mov",
}


def sniff_media_type(head: bytes) -> str | None:
    """The media type that the first bytes of a file show, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "video/webm"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return "video/quicktime" if brand == b"qt  " else "video/mp4"
    return None


def check_upload(upload: UploadedFile, *, allow_video: bool = False) -> CheckedUpload:
    """Raise ValidationError unless the upload is an allowed image (or video) within its limit."""
    upload.seek(0)
    head = upload.read(32)
    upload.seek(0)
    content_type = sniff_media_type(head)
    allowed = IMAGE_TYPES + (VIDEO_TYPES if allow_video else ())
    if content_type not in allowed:
        if allow_video:
            message = _("Send a photo (JPEG, PNG or WebP) or a video (MP4, WebM or MOV).")
        else:
            message = _("Send a photo as JPEG, PNG or WebP.")
        raise ValidationError(message, code="file_type")
    limit = VIDEO_MAX_BYTES if content_type in VIDEO_TYPES else IMAGE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large: at most %(limit)s.") % {"limit": filesizeformat(limit)},
            code="file_size",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    return CheckedUpload(content_type, upload.size, _EXTENSIONS[content_type])
