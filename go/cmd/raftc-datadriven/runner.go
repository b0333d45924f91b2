// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// runner.go: reader, runner and rewriter of cockroachdb's datadriven format (HARNESS.md §1),
// with the same parsing, transcript rules and exit codes as tests/conformance/datadriven.c.

package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

const ws = " \t\n\r\v\f"

// arg is one directive argument: key and its values (key=(a, b) -> [a b]).
type arg struct {
	key  string
	vals []string
}

// directive is a parsed command with its trimmed input.
type directive struct {
	line  int
	cmd   string
	args  []arg
	input string
}

func (d *directive) findArg(key string) *arg {
	for i := range d.args {
		if d.args[i].key == key {
			return &d.args[i]
		}
	}
	return nil
}

// fatalError is a harness-level error (Go's t.Fatal upstream): it aborts the file.
type fatalError struct{ msg string }

func (f *fatalError) Error() string { return f.msg }

func fatalf(format string, a ...any) error { return &fatalError{fmt.Sprintf(format, a...)} }

// suite runs the directives of one file in a fresh environment.
type suite interface {
	newEnv() env
}

type env interface {
	// handle returns the directive's output; a *fatalError aborts the file.
	handle(d *directive) (string, error)
	close()
}

// splitLines is bufio.ScanLines: split on LF, drop a CR before it, keep a last unterminated
// line.
func splitLines(data string) []string {
	if data == "" {
		return nil
	}
	parts := strings.Split(data, "\n")
	if parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	for i, p := range parts {
		parts[i] = strings.TrimSuffix(p, "\r")
	}
	return parts
}

// parseLine is datadriven's ParseLine on a trimmed line; on error it returns the 1-based
// column where parsing failed.
func parseLine(line string) (string, []arg, int) {
	if line == "" {
		return "", nil, 0
	}
	end := len(line)
	cmdEnd := strings.IndexByte(line, ' ')
	if cmdEnd < 0 {
		cmdEnd = end
	}
	if cmdEnd == 0 {
		return "", nil, 1
	}
	cmd := line[:cmdEnd]
	p := cmdEnd
	var args []arg
	isWS := func(c byte) bool { return strings.IndexByte(ws, c) >= 0 }
	for p < end && isWS(line[p]) {
		p++
	}
	for p < end {
		k := p
		for p < end && line[p] != ' ' && line[p] != '=' {
			p++
		}
		if p == k {
			return "", nil, p + 1
		}
		a := arg{key: line[k:p]}
		if p < end && line[p] == '=' {
			p++
			switch {
			case p == end || line[p] == ' ':
				a.vals = append(a.vals, "")
			case line[p] != '(':
				v := p
				for p < end && line[p] != ' ' {
					p++
				}
				a.vals = append(a.vals, line[v:p])
			default:
				q := p + 1
				val := q
				depth := 1
				for depth > 0 {
					if q == end {
						return "", nil, q + 1
					}
					switch line[q] {
					case '(':
						depth++
					case ')':
						depth--
					case ',':
						if depth == 1 {
							a.vals = append(a.vals, line[val:q])
							for q+1 < end && line[q+1] == ' ' {
								q++
							}
							val = q + 1
						}
					}
					q++
				}
				a.vals = append(a.vals, line[val:q-1])
				p = q
			}
		}
		args = append(args, a)
		for p < end && isWS(line[p]) {
			p++
		}
	}
	return cmd, args, 0
}

func isBlank(s string) bool { return strings.Trim(s, ws) == "" }

func hasBlankLine(s string) bool {
	for _, l := range splitLines(s) {
		if isBlank(l) {
			return true
		}
	}
	return false
}

type reader struct {
	path  string
	lines []string
	pos   int
	out   strings.Builder
}

func (r *reader) next() (string, bool) {
	if r.pos >= len(r.lines) {
		return "", false
	}
	l := r.lines[r.pos]
	r.pos++
	return l, true
}

func (r *reader) emit(s string) {
	r.out.WriteString(s)
	r.out.WriteByte('\n')
}

func readExpected(r *reader, errw io.Writer) (string, bool) {
	var exp strings.Builder
	line, ok := r.next()
	if ok && line == "----" {
		for {
			line, ok = r.next()
			if !ok {
				break
			}
			if line == "----" {
				line2, ok2 := r.next()
				if ok2 {
					if line2 == "----" {
						after, ok3 := r.next()
						if ok3 && after != "" {
							fmt.Fprintf(errw, "%s:%d: non-blank line after end of double ---- separator section\n", r.path, r.pos)
							return "", false
						}
						break
					}
					exp.WriteString(line + "\n")
					line = line2
				}
			}
			exp.WriteString(line + "\n")
		}
		return exp.String(), true
	}
	for ok && !isBlank(line) {
		exp.WriteString(line + "\n")
		line, ok = r.next()
	}
	return exp.String(), true
}

func emitOutput(r *reader, actual string) {
	r.emit("----")
	if hasBlankLine(actual) {
		r.emit("----")
		r.out.WriteString(actual)
		r.emit("----")
		r.emit("----")
		r.emit("")
	} else {
		r.emit(actual)
	}
}

func trimFinalNewline(text string) string {
	if len(text) > 2 && strings.HasSuffix(text, "\n\n") {
		return text[:len(text)-1]
	}
	return text
}

// reportMismatch prints the first differing line of expected vs actual transcript.
func reportMismatch(r *reader, d *directive, text string, errw io.Writer) {
	for i := r.pos; i < len(r.lines); i++ {
		r.emit(r.lines[i])
	}
	got := splitLines(trimFinalNewline(r.out.String()))
	fmt.Fprintf(errw, "%s:%d: output mismatch for: %s\n", r.path, d.line, text)
	for i := 0; i < len(got) || i < len(r.lines); i++ {
		var want, have string
		if i < len(r.lines) {
			want = r.lines[i]
		}
		if i < len(got) {
			have = got[i]
		}
		if want != have || i >= len(r.lines) || i >= len(got) {
			fmt.Fprintf(errw, "line %d:\n- %s\n+ %s\n", i+1, want, have)
			lo := max(0, i-3)
			fmt.Fprintf(errw, "actual around it:\n")
			for j := lo; j < min(len(got), i+8); j++ {
				fmt.Fprintf(errw, "  %s\n", got[j])
			}
			return
		}
	}
}

func run(s env, r *reader, rewrite bool, errw io.Writer) int {
	for {
		raw, ok := r.next()
		if !ok {
			return 0
		}
		lineNo := r.pos
		r.emit(raw)
		t := strings.Trim(raw, ws)
		if strings.HasPrefix(t, "#") {
			continue
		}
		text := t
		for strings.HasSuffix(text, "\\") {
			nxt, ok := r.next()
			if !ok {
				break
			}
			r.emit(nxt)
			text = text[:len(text)-1] + " " + strings.Trim(nxt, ws)
		}
		text = strings.Trim(text, ws)
		cmd, args, col := parseLine(text)
		if col != 0 {
			fmt.Fprintf(errw, "%s:%d: cannot parse directive at column %d: %s\n", r.path, lineNo, col, text)
			return 2
		}
		if cmd == "" {
			continue
		}
		var in strings.Builder
		separator := false
		for {
			line, ok := r.next()
			if !ok {
				break
			}
			if line == "----" {
				separator = true
				break
			}
			r.emit(line)
			in.WriteString(line + "\n")
		}
		d := &directive{line: lineNo, cmd: cmd, args: args, input: strings.Trim(in.String(), ws)}
		expected := ""
		if separator {
			exp, ok := readExpected(r, errw)
			if !ok {
				return 2
			}
			expected = exp
		}
		actual, err := s.handle(d)
		if err != nil {
			fmt.Fprintf(errw, "%s:%d: %s: %v\n", r.path, lineNo, text, err)
			return 2
		}
		if actual != "" && !strings.HasSuffix(actual, "\n") {
			actual += "\n"
		}
		emitOutput(r, actual)
		if !rewrite && expected != actual {
			reportMismatch(r, d, text, errw)
			return 1
		}
	}
}

// runFile replays path with s: 0 (all matched, or rewritten: the transcript goes to out),
// 1 (first mismatch, reported on errw) or 2 (harness error).
func runFile(s suite, path string, rewrite bool, out io.Writer, errw io.Writer) int {
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(errw, "%s: cannot read file: %v\n", path, err)
		return 2
	}
	r := &reader{path: path, lines: splitLines(string(data))}
	e := s.newEnv()
	rc := run(e, r, rewrite, errw)
	e.close()
	if rc == 0 && rewrite && out != nil {
		io.WriteString(out, trimFinalNewline(r.out.String()))
	}
	return rc
}
