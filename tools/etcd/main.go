// Command etcd is the etcd server of the version in go.mod, built from its Go module for the
// real-server tests of the ConsensusCluster construct (test/database-scripts/etcd.test.ts): the
// same flags the construct renders into the pod start the same server code on loopback.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
