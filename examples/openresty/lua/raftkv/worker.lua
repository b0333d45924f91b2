-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- worker.lua: ties every nginx worker's life to its master's. A SIGKILL of the node's process
-- (the master: what a supervisor or a test kills) must take the node down, but nginx's workers
-- would outlive it, worker 0 still running raft and the port still held. Each worker asks the
-- kernel for SIGKILL when its parent dies (prctl PR_SET_PDEATHSIG), then checks the master did
-- not die before that.
local ffi = require "ffi"

local M = {}

pcall(ffi.cdef, [[
int prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4,
          unsigned long arg5);
int getppid(void);
]])

local PR_SET_PDEATHSIG, SIGKILL = 1, 9

function M.bind_to_master(pid_file)
    if ffi.os ~= "Linux" then return end
    ffi.C.prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0)
    local f = io.open(pid_file, "r")
    local master = f and f:read("*n")
    if f then f:close() end
    if master and ffi.C.getppid() ~= master then
        ngx.log(ngx.CRIT, "raftkv: the nginx master (", master, ") is gone: exiting")
        os.exit(1)
    end
end

return M
