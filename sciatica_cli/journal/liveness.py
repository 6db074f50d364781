"""Is the process that started a session still running? For marking sessions interrupted."""

from __future__ import annotations

import os
import sys

if sys.platform == "win32":

    def process_alive(pid: int) -> bool:
        """Whether a process with this id exists on this machine."""
        # os.kill(pid, 0) would terminate the process on Windows: ask for its exit code instead.
        import ctypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 5  # access denied: it exists
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)

else:

    def process_alive(pid: int) -> bool:
        """Whether a process with this id exists on this machine."""
        if pid <= 0:
            return False  # kill(0 or -n, 0) would ask about a whole process group
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True  # another user's process: alive
        return True
