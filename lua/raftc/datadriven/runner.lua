-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- runner.lua: reader, runner and rewriter for cockroachdb's datadriven format (HARNESS.md §1), the
-- Lua twin of tests/conformance/datadriven.c and python/tests/datadriven/runner.py (same parsing, same
-- transcript rules, same exit codes: 0 matched / rewritten, 1 first mismatch, 2 harness error).
-- A suite is { new_env = function() -> env, handle = function(env, d) -> output }; handle raises
-- runner.fatal(text) for harness errors.
local M = {}

local WS = "[ \t\n\r\v\f]"

local Fatal = {}
Fatal.__index = Fatal
Fatal.__tostring = function(f) return f.text end
-- A harness-level error (Go's t.Fatal): aborts the file.
function M.fatal(text) error(setmetatable({ text = text }, Fatal), 0) end
function M.is_fatal(e) return getmetatable(e) == Fatal end

local function trim(s) return (s:gsub("^" .. WS .. "+", ""):gsub(WS .. "+$", "")) end
M.trim = trim

-- bufio.ScanLines: split on LF, drop a CR before it, keep a last unterminated line.
function M.split_lines(data)
    local out = {}
    if data == "" then return out end
    local pos = 1
    while pos <= #data do
        local nl = data:find("\n", pos, true)
        local line
        if nl then
            line = data:sub(pos, nl - 1)
            pos = nl + 1
        else
            line = data:sub(pos)
            pos = #data + 1
        end
        if line:sub(-1) == "\r" then line = line:sub(1, -2) end
        out[#out + 1] = line
    end
    return out
end

local function is_ws(c) return c == " " or c == "\t" or c == "\n" or c == "\r" or c == "\v" or c == "\f" end

-- line_parser.go ParseLine on a trimmed line: cmd, args ({key =, vals = {}}), or nil, column
-- (1-based) of a parse error.
function M.parse_line(line)
    if line == "" then return nil, {} end
    local n = #line
    local sp = line:find(" ", 1, true)
    local cmd_end = sp and sp - 1 or n
    if cmd_end == 0 then return nil, nil, 1 end
    local cmd = line:sub(1, cmd_end)
    local p = cmd_end + 1 -- 1-based index of the next char
    local args = {}
    while p <= n and is_ws(line:sub(p, p)) do p = p + 1 end
    while p <= n do
        local k = p
        while p <= n and line:sub(p, p) ~= " " and line:sub(p, p) ~= "=" do p = p + 1 end
        if p == k then return nil, nil, p end
        local arg = { key = line:sub(k, p - 1), vals = {} }
        args[#args + 1] = arg
        if p <= n and line:sub(p, p) == "=" then
            p = p + 1
            if p > n or line:sub(p, p) == " " then
                arg.vals[#arg.vals + 1] = ""
            elseif line:sub(p, p) ~= "(" then
                local v = p
                while p <= n and line:sub(p, p) ~= " " do p = p + 1 end
                arg.vals[#arg.vals + 1] = line:sub(v, p - 1)
            else
                local q = p + 1
                local val = q
                local depth = 1
                while depth > 0 do
                    if q > n then return nil, nil, q end
                    local c = line:sub(q, q)
                    if c == "(" then
                        depth = depth + 1
                    elseif c == ")" then
                        depth = depth - 1
                    elseif c == "," and depth == 1 then
                        arg.vals[#arg.vals + 1] = line:sub(val, q - 1)
                        while q + 1 <= n and line:sub(q + 1, q + 1) == " " do q = q + 1 end
                        val = q + 1
                    end
                    q = q + 1
                end
                arg.vals[#arg.vals + 1] = line:sub(val, q - 2)
                p = q
            end
        end
        while p <= n and is_ws(line:sub(p, p)) do p = p + 1 end
    end
    return cmd, args
end

local function is_blank(s) return trim(s) == "" end

local function has_blank_line(s)
    for _, line in ipairs(M.split_lines(s)) do
        if is_blank(line) then return true end
    end
    return false
end

local Reader = {}
Reader.__index = Reader

local function new_reader(path, lines)
    return setmetatable({ path = path, lines = lines, pos = 0, out = {} }, Reader)
end

function Reader:next()
    if self.pos >= #self.lines then return nil end
    self.pos = self.pos + 1
    return self.lines[self.pos]
end

function Reader:emit(s)
    local out = self.out
    out[#out + 1] = s
    out[#out + 1] = "\n"
end

local function read_expected(r, err)
    local exp = {}
    local line = r:next()
    if line ~= nil and line == "----" then
        while true do
            line = r:next()
            if line == nil then break end
            if line == "----" then
                local line2 = r:next()
                if line2 ~= nil then
                    if line2 == "----" then
                        local after = r:next()
                        if after ~= nil and after ~= "" then
                            err:write(string.format("%s:%d: non-blank line after end of double ---- " ..
                                                    "separator section\n", r.path, r.pos))
                            return nil
                        end
                        break
                    end
                    exp[#exp + 1] = line .. "\n"
                    line = line2
                end
            end
            exp[#exp + 1] = line .. "\n"
        end
        return table.concat(exp)
    end
    while line ~= nil and not is_blank(line) do
        exp[#exp + 1] = line .. "\n"
        line = r:next()
    end
    return table.concat(exp)
end

local function emit_output(r, actual)
    r:emit("----")
    if has_blank_line(actual) then
        r:emit("----")
        r.out[#r.out + 1] = actual
        r:emit("----")
        r:emit("----")
        r:emit("")
    else
        r:emit(actual)
    end
end

local function trim_final_newline(text)
    if #text > 2 and text:sub(-2) == "\n\n" then return text:sub(1, -2) end
    return text
end

-- On a mismatch: the first differing line of the transcript, with the expected and actual text.
local function report_mismatch(r, d, text, err, expected, actual)
    err:write(string.format("%s:%d: output mismatch for: %s\n", r.path, d.line, text))
    err:write("--- expected\n" .. expected .. "+++ actual\n" .. actual)
end

local function run(suite, r, env, rewrite, err)
    while true do
        local raw = r:next()
        if raw == nil then return 0 end
        local line_no = r.pos
        r:emit(raw)
        local t = trim(raw)
        if t:sub(1, 1) ~= "#" then
            local text = t
            while text:sub(-1) == "\\" do
                local nxt = r:next()
                if nxt == nil then break end
                r:emit(nxt)
                text = text:sub(1, -2) .. " " .. trim(nxt)
            end
            text = trim(text)
            local cmd, args, col = M.parse_line(text)
            if col then
                err:write(string.format("%s:%d: cannot parse directive at column %d: %s\n", r.path,
                                        line_no, col, text))
                return 2
            end
            if cmd ~= nil then
                local inp = {}
                local separator = false
                while true do
                    local line = r:next()
                    if line == nil then break end
                    if line == "----" then
                        separator = true
                        break
                    end
                    r:emit(line)
                    inp[#inp + 1] = line .. "\n"
                end
                local d = { file = r.path, line = line_no, cmd = cmd, args = args,
                            input = trim(table.concat(inp)) }
                local expected = ""
                if separator then
                    expected = read_expected(r, err)
                    if expected == nil then return 2 end
                end
                local ok, actual = pcall(suite.handle, env, d)
                if not ok then
                    if M.is_fatal(actual) then
                        err:write(string.format("%s:%d: %s: %s\n", r.path, line_no, text, actual.text))
                        return 2
                    end
                    error(actual, 0)
                end
                if actual ~= "" and actual:sub(-1) ~= "\n" then actual = actual .. "\n" end
                emit_output(r, actual)
                if not rewrite and expected ~= actual then
                    report_mismatch(r, d, text, err, expected, actual)
                    return 1
                end
            end
        end
    end
end

-- Replays path with suite. Returns 0, 1 or 2 and, when rewriting, the transcript.
function M.run_file(suite, path, rewrite, err)
    err = err or io.stderr
    local f, e = io.open(path, "rb")
    if not f then
        err:write(string.format("%s: cannot read file: %s\n", path, e))
        return 2
    end
    local data = f:read("*a")
    f:close()
    local r = new_reader(path, M.split_lines(data))
    local env = suite.new_env()
    local ok, rc = pcall(run, suite, r, env, rewrite, err)
    if env and env.close then env:close() end
    if not ok then error(rc, 0) end
    if rc == 0 and rewrite then return 0, trim_final_newline(table.concat(r.out)) end
    return rc
end

-- d's first argument named key, or nil.
function M.find_arg(d, key)
    for _, a in ipairs(d.args) do
        if a.key == key then return a end
    end
    return nil
end

return M
