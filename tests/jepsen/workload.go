// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// workload.go: concurrent clients doing reads, writes and deletes on a few keys through any
// node's client API, each operation recorded with its invocation and response times. Outcomes
// (kv-protocol.md): 204/200/404 are definite; 503 and a refused connection mean the write was
// never proposed (dropped from the history); a 504, any other answer or a transport error
// after the request may have been sent is unknown (a write that may take effect at any time
// later; an unanswered read constrains nothing and is dropped).
package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/anishathalye/porcupine"
)

const (
	opGet = iota
	opPut
	opDelete
)

type kvInput struct {
	Op    int
	Key   string
	Value string
}

type kvOutput struct {
	Value   string // read result; "" = absent (written values are never empty)
	Unknown bool
}

type history struct {
	mu    sync.Mutex
	start time.Time
	ops   []porcupine.Operation
	// counters for the summary
	ackedWrites, unknown, refused, reads int
	// operations left out of the checked history (refused writes, unanswered reads), kept
	// for the failure report
	dropped []porcupine.Operation
}

func (h *history) now() int64 { return time.Since(h.start).Nanoseconds() }

func (h *history) drop(client int, in kvInput, call, ret int64, why string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if in.Op != opGet {
		h.refused++
	}
	h.dropped = append(h.dropped, porcupine.Operation{ClientId: client, Input: in, Call: call,
		Output: kvOutput{}, Return: ret, Metadata: why})
}

func (h *history) add(client int, in kvInput, out kvOutput, call, ret int64, meta string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if out.Unknown {
		ret = math.MaxInt64
		h.unknown++
	} else if in.Op == opGet {
		h.reads++
	} else {
		h.ackedWrites++
	}
	h.ops = append(h.ops, porcupine.Operation{ClientId: client, Input: in, Call: call,
		Output: out, Return: ret, Metadata: meta})
}

type kvClient struct {
	http *http.Client
}

func newKVClient() *kvClient {
	return &kvClient{http: &http.Client{Timeout: 7 * time.Second}}
}

// outcome classes of one request
const (
	definite = iota
	neverApplied
	unknown
)

// do runs one operation against base; for reads value is the value read ("" absent); what
// says what happened (status or error).
func (c *kvClient) do(base string, in kvInput) (value string, class int, what string) {
	var req *http.Request
	url := base + "/kv/" + in.Key
	switch in.Op {
	case opGet:
		req, _ = http.NewRequest(http.MethodGet, url, nil)
	case opPut:
		req, _ = http.NewRequest(http.MethodPut, url, strings.NewReader(in.Value))
	default:
		req, _ = http.NewRequest(http.MethodDelete, url, nil)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if errors.Is(err, syscall.ECONNREFUSED) {
			return "", neverApplied, "connection refused" // nothing was sent
		}
		return "", unknown, err.Error()
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", unknown, err.Error()
	}
	what = fmt.Sprintf("%s %d", base, resp.StatusCode)
	switch {
	case in.Op == opGet && resp.StatusCode == http.StatusOK:
		return string(body), definite, what
	case in.Op == opGet && resp.StatusCode == http.StatusNotFound:
		return "", definite, what
	case in.Op != opGet && resp.StatusCode == http.StatusNoContent:
		return "", definite, what
	case resp.StatusCode == http.StatusServiceUnavailable:
		return "", neverApplied, what
	}
	return "", unknown, what
}

// runClients runs nClients clients until stop closes, each with its own seeded random source.
func runClients(c *cluster, h *history, seed int64, nClients, nKeys int, stop <-chan struct{}) {
	var wg sync.WaitGroup
	for id := 0; id < nClients; id++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			rng := rand.New(rand.NewSource(seed*1000 + int64(id)))
			kc := newKVClient()
			for seq := 0; ; seq++ {
				select {
				case <-stop:
					return
				default:
				}
				nd := c.nodes[rng.Intn(len(c.nodes))]
				in := kvInput{Key: fmt.Sprintf("k%d", rng.Intn(nKeys))}
				switch r := rng.Intn(10); {
				case r < 4:
					in.Op = opGet
				case r < 8:
					in.Op, in.Value = opPut, fmt.Sprintf("c%d-%d", id, seq)
				default:
					in.Op = opDelete
				}
				call := h.now()
				v, class, what := kc.do("http://"+nd.listen, in)
				ret := h.now()
				switch {
				case class == neverApplied:
					h.drop(id, in, call, ret, what)
					time.Sleep(20 * time.Millisecond)
				case class == unknown && in.Op == opGet:
					h.drop(id, in, call, ret, what) // an unanswered read constrains nothing
				default:
					h.add(id, in, kvOutput{Value: v, Unknown: class == unknown}, call, ret, what)
				}
			}
		}(id)
	}
	wg.Wait()
}
