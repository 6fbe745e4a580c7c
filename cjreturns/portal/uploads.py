"""The portal's own limits on an upload, before the readers apply theirs to its bytes."""

from __future__ import annotations

from django.http import HttpRequest

from cjreturns.readers import REFUSED, SUPPORTED_SUFFIXES, Limits


class UploadProblem(Exception):
    """The request carries no usable file; the message says what to do."""


def read_upload(request: HttpRequest, field: str = "file") -> tuple[bytes, str]:
    """The uploaded file's bytes and name, refused when missing, empty, too large or not a kind
    of file a return can be. Its content is never trusted: the readers check it as a finding."""
    upload = request.FILES.get(field)
    if upload is None:
        raise UploadProblem("Choose your return file (.xlsx, .json, .yaml or .yml) to upload.")
    limit = Limits.from_env().max_file_bytes
    if upload.size is None or upload.size > limit:
        raise UploadProblem(
            f"The file is larger than {limit / 1024 / 1024:.0f} MB. A return is far smaller: "
            "check that this is the right file."
        )
    name = upload.name or ""
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    # Kinds people send by mistake (.xlsm, .pdf ...) reach the readers, whose finding says what to
    # do instead; anything else is refused here.
    if suffix not in SUPPORTED_SUFFIXES and suffix not in REFUSED:
        kinds = ", ".join(SUPPORTED_SUFFIXES)
        raise UploadProblem(f"{name or 'The file'} is not a return: upload one of {kinds}.")
    data = upload.read(limit + 1)
    if not data:
        raise UploadProblem("The file is empty. Choose the return you saved.")
    return data, name
