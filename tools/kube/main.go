// kubestack is one binary holding the Kubernetes control plane our tests run against: the real
// kube-apiserver with an embedded etcd, kube-controller-manager, kube-scheduler and kubectl, all
// built from the k8s.io/kubernetes release pinned in go.mod. One binary links the shared code once,
// so the first build on a machine costs one link instead of four.
//
//	kubestack apiserver --embedded-etcd-dir=DIR --embedded-etcd-port=N [kube-apiserver flags]
//	kubestack controller-manager [flags] | scheduler [flags] | kubectl [args] | version
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
	_ "time/tzdata" // CronJob time zones, as the upstream binaries do

	"k8s.io/component-base/cli"
	"k8s.io/component-base/logs"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/component-base/version"
	kubectlcmd "k8s.io/kubectl/pkg/cmd"
	kubectlutil "k8s.io/kubectl/pkg/cmd/util"
	apiserver "k8s.io/kubernetes/cmd/kube-apiserver/app"
	controllermanager "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	scheduler "k8s.io/kubernetes/cmd/kube-scheduler/app"
)

const usage = "usage: kubestack apiserver|controller-manager|scheduler|kubectl|version [args...]"

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	sub, args := os.Args[1], os.Args[2:]
	if sub != "kubectl" && sub != "version" {
		exitWithParent()
	}
	// The upstream commands read os.Args themselves (cobra): present each as its own program.
	os.Args = append([]string{filepath.Base(os.Args[0]) + " " + sub}, args...)
	switch sub {
	case "apiserver":
		os.Exit(runAPIServer(args))
	case "controller-manager":
		os.Exit(cli.Run(controllermanager.NewControllerManagerCommand()))
	case "scheduler":
		os.Exit(cli.Run(scheduler.NewSchedulerCommand()))
	case "kubectl":
		logs.GlogSetter(kubectlcmd.GetLogVerbosity(os.Args)) // nolint:errcheck
		if err := cli.RunNoErrOutput(kubectlcmd.NewDefaultKubectlCommand()); err != nil {
			kubectlutil.CheckErr(err)
		}
	case "version":
		fmt.Println(version.Get().GitVersion)
	default:
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
}

// exitWithParent ends the process when the program that started it is gone (a test runner killed
// before its teardown): a throwaway control plane never outlives its user.
func exitWithParent() {
	parent := os.Getppid()
	go func() {
		for range time.Tick(time.Second) {
			if os.Getppid() != parent {
				fmt.Fprintln(os.Stderr, "kubestack: parent process exited, stopping")
				os.Exit(1)
			}
		}
	}()
}

// runAPIServer starts etcd in this process when --embedded-etcd-dir is given, then the API server
// pointed at it. Every other flag goes to kube-apiserver unchanged.
func runAPIServer(args []string) int {
	var etcdDir, etcdPort string
	var rest []string
	for _, arg := range args {
		switch {
		case strings.HasPrefix(arg, "--embedded-etcd-dir="):
			etcdDir = strings.TrimPrefix(arg, "--embedded-etcd-dir=")
		case strings.HasPrefix(arg, "--embedded-etcd-port="):
			etcdPort = strings.TrimPrefix(arg, "--embedded-etcd-port=")
		default:
			rest = append(rest, arg)
		}
	}
	if etcdDir != "" {
		endpoint, stop, err := startEtcd(etcdDir, etcdPort)
		if err != nil {
			fmt.Fprintf(os.Stderr, "kubestack: embedded etcd: %v\n", err)
			return 1
		}
		defer stop()
		rest = append(rest, "--etcd-servers="+endpoint)
	}
	os.Args = append(os.Args[:1], rest...)
	return cli.Run(apiserver.NewAPIServerCommand())
}
