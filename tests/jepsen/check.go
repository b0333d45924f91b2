// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// check.go: the linearizability model (a register per key, porcupine partitions by key) and
// the checks after a run.
package main

import (
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/anishathalye/porcupine"
)

// kvModel: a map of registers; "" is an absent key (the workload never writes "").
var kvModel = porcupine.Model{
	Partition: func(h []porcupine.Operation) [][]porcupine.Operation {
		byKey := map[string][]porcupine.Operation{}
		for _, op := range h {
			k := op.Input.(kvInput).Key
			byKey[k] = append(byKey[k], op)
		}
		keys := make([]string, 0, len(byKey))
		for k := range byKey {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var out [][]porcupine.Operation
		for _, k := range keys {
			out = append(out, byKey[k])
		}
		return out
	},
	Init: func() interface{} { return "" },
	Step: func(state, input, output interface{}) (bool, interface{}) {
		in, out := input.(kvInput), output.(kvOutput)
		switch in.Op {
		case opPut:
			return true, in.Value
		case opDelete:
			return true, ""
		}
		return out.Value == state.(string), state
	},
	DescribeOperation: func(input, output interface{}) string {
		in, out := input.(kvInput), output.(kvOutput)
		res := "ok"
		if out.Unknown {
			res = "unknown"
		}
		switch in.Op {
		case opPut:
			return fmt.Sprintf("put(%s, %s) -> %s", in.Key, in.Value, res)
		case opDelete:
			return fmt.Sprintf("delete(%s) -> %s", in.Key, res)
		}
		if out.Value == "" {
			return fmt.Sprintf("get(%s) -> absent", in.Key)
		}
		return fmt.Sprintf("get(%s) -> %s", in.Key, out.Value)
	},
	DescribeState: func(state interface{}) string {
		if state.(string) == "" {
			return "absent"
		}
		return state.(string)
	},
}

// checkLinearizable checks h; on a violation it writes porcupine's visualization to htmlPath
// and the history as text next to it (with the operations left out of it, `dropped`).
func checkLinearizable(h, dropped []porcupine.Operation, timeout time.Duration,
	htmlPath string) error {
	res, info := porcupine.CheckOperationsVerbose(kvModel, h, timeout)
	switch res {
	case porcupine.Ok:
		return nil
	case porcupine.Unknown:
		return fmt.Errorf("linearizability check timed out after %v (%d operations)", timeout,
			len(h))
	}
	writeHistory(h, dropped, strings.TrimSuffix(htmlPath, ".html")+".txt")
	if err := porcupine.VisualizePath(kvModel, info, htmlPath); err != nil {
		return fmt.Errorf("history is NOT linearizable (visualization failed: %v)", err)
	}
	return fmt.Errorf("history is NOT linearizable; see %s", htmlPath)
}

// writeHistory writes the history as text, one operation a line in invocation order; the
// operations left out of the check are marked "dropped".
func writeHistory(h, dropped []porcupine.Operation, path string) {
	type line struct {
		op      porcupine.Operation
		dropped bool
	}
	var ops []line
	for _, op := range h {
		ops = append(ops, line{op, false})
	}
	for _, op := range dropped {
		ops = append(ops, line{op, true})
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].op.Call < ops[j].op.Call })
	var b strings.Builder
	for _, l := range ops {
		op := l.op
		ret := "      ?"
		if op.Return != math.MaxInt64 {
			ret = fmt.Sprintf("%7.3f", float64(op.Return)/1e9)
		}
		desc := kvModel.DescribeOperation(op.Input, op.Output)
		if l.dropped {
			desc = "dropped " + kvModel.DescribeOperation(op.Input, kvOutput{Unknown: true})
		}
		fmt.Fprintf(&b, "%7.3f %s client %4d %-40s %v\n", float64(op.Call)/1e9, ret,
			op.ClientId, desc, op.Metadata)
	}
	_ = os.WriteFile(path, []byte(b.String()), 0o644)
}
