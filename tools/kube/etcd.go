package main

import (
	"fmt"
	"net/url"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
)

// startEtcd runs a single-member etcd on loopback with its data in dir. The peer port is the
// client port plus one. It returns the client endpoint and a stop function.
func startEtcd(dir, port string) (string, func(), error) {
	if port == "" {
		port = "2379"
	}
	var clientPort int
	if _, err := fmt.Sscanf(port, "%d", &clientPort); err != nil {
		return "", nil, fmt.Errorf("--embedded-etcd-port must be a number, got %q", port)
	}
	client, _ := url.Parse(fmt.Sprintf("http://127.0.0.1:%d", clientPort))
	peer, _ := url.Parse(fmt.Sprintf("http://127.0.0.1:%d", clientPort+1))

	cfg := embed.NewConfig()
	cfg.Dir = dir
	cfg.Name = "kubestack"
	cfg.ListenClientUrls = []url.URL{*client}
	cfg.AdvertiseClientUrls = []url.URL{*client}
	cfg.ListenPeerUrls = []url.URL{*peer}
	cfg.AdvertisePeerUrls = []url.URL{*peer}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.LogLevel = "error"
	// Tests write little and throw the data away: no fsync per write keeps a cold disk from
	// dominating every request.
	cfg.UnsafeNoFsync = true

	server, err := embed.StartEtcd(cfg)
	if err != nil {
		return "", nil, err
	}
	select {
	case <-server.Server.ReadyNotify():
	case <-time.After(60 * time.Second):
		server.Close()
		return "", nil, fmt.Errorf("etcd did not become ready within 60s in %s", dir)
	}
	return client.String(), server.Close, nil
}
