// Smoke test of the Go module, run by tools/packaging/smoke.ts in a module outside the repo.
//
// shop.go is the README's Go example, verbatim. Argument 1: a file holding the message the
// TypeScript library gives for the same anti-pattern.
package main

import (
	"fmt"
	"os"
	"regexp"
)

func main() {
	database()
	manifests, err := os.ReadFile("dist/shop.k8s.yaml")
	if err != nil || !regexp.MustCompile(`(?m)^kind: StatefulSet$`).Match(manifests) {
		fail("go: dist/shop.k8s.yaml has no StatefulSet (%v)", err)
	}
	message := guarded()
	expected, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail("go: %v", err)
	}
	if message != string(expected) {
		fail("go: the guards' message differs from TypeScript's.\n--- go\n%s\n--- typescript\n%s", message, expected)
	}
	fmt.Println("go: StatefulSet synthesized; guards message identical to TypeScript")
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}
