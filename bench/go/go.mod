module raftc.bench/etcdbench

go 1.26

require (
	go.etcd.io/raft/v3 v3.7.0
	google.golang.org/protobuf v1.36.11
)

require github.com/raftc/raftc/go v0.0.0

// The Go binding from this repository (the raftc-go columns, -tags raftcgo).
replace github.com/raftc/raftc/go => ../../go
