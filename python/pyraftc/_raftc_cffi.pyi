# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# _raftc_cffi.pyi: type stub of the compiled cffi extension module (python/CMakeLists.txt).
"""The cffi module of libraftc: ``ffi`` (types, allocation) and ``lib`` (raftc.h functions and
constants). cffi objects carry no static types, so both are Any."""
from typing import Any

ffi: Any
lib: Any
