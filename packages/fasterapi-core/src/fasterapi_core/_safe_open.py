"""Open a file below a directory without following symlinks, so a path checked earlier cannot be redirected.

A path is checked (``realpath`` inside the served directory) and the file opened later; in between, anyone who
can write to the directory could swap a directory of the path for a symlink to ``/etc``. Walking the checked
path one component at a time from a descriptor of the directory, refusing symlinks (``O_NOFOLLOW``), opens
exactly a file below the directory or fails.
"""

from __future__ import annotations

import errno
import os
import stat

__all__ = ("SAFE_OPEN_SUPPORTED", "open_beneath")

SAFE_OPEN_SUPPORTED = os.open in os.supports_dir_fd and hasattr(os, "O_NOFOLLOW") and hasattr(os, "O_DIRECTORY")
"""Whether this platform can open files relative to a directory descriptor without following symlinks."""


def open_beneath(root: str, relative: str) -> int:
    """Open the regular file ``relative`` (a path without ``..``) below the directory ``root`` for reading.

    Returns:
        A file descriptor (not inheritable), owned by the caller.

    Raises:
        OSError: ``ELOOP`` when a component is a symlink, ``ENOENT``/``ENOTDIR`` when it is missing or not a
            directory, ``EACCES`` for ``..`` or a file that is not a regular file.
    """
    parts = [part for part in relative.split(os.sep) if part not in ("", ".")]
    if not parts or ".." in parts:
        raise OSError(errno.EACCES, "Not a file below the directory", relative)
    directory = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in parts[:-1]:
            child = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=directory)
            os.close(directory)
            directory = child
        # O_NONBLOCK: a FIFO swapped in must not block the opening thread; it is refused just below.
        descriptor = os.open(parts[-1], os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=directory)
    finally:
        os.close(directory)
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise OSError(errno.EACCES, "Not a regular file", relative)
    os.set_blocking(descriptor, True)
    return descriptor
