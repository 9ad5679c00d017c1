package main

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-stateful/cdk8s-stateful-go/cdk8sstateful"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
	"github.com/cdk8s-team/cdk8s-plus-go/cdk8splus28/v2/k8s"
)

// A two-member PostgreSQL: a StatefulSet with one claim per member, a headless Service, ...
func database() {
	app := cdk8s.NewApp(nil) // writes dist/
	shop := cdk8s.NewChart(app, jsii.String("shop"), nil)
	cdk8sstateful.NewStatefulDatabase(shop, jsii.String("orders"), &cdk8sstateful.StatefulDatabaseProps{
		Engine:   cdk8sstateful.DatabaseEngine_Postgres(&cdk8sstateful.EngineVersionOptions{Version: jsii.String("16.4")}),
		Replicas: jsii.Number(2),
		Storage:  &cdk8sstateful.ClaimOptions{Size: cdk8s.Size_Gibibytes(jsii.Number(10))},
	})
	app.Synth()
}

// The guards over any cdk8s app: three replicas of a Deployment on one ReadWriteOnce claim.
// Synth panics with the guards' findings (SG001 and SG002, the same text as in TypeScript).
func guarded() (message string) {
	app := cdk8s.NewApp(&cdk8s.AppProps{Outdir: jsii.String("dist-guarded")})
	cdk8sstateful.Guards_Enable(app, nil)
	web := cdk8s.NewChart(app, jsii.String("shop"), nil)
	data := cdk8sstateful.NewPersistentClaim(web, jsii.String("data"), &cdk8sstateful.PersistentClaimProps{
		Size: cdk8s.Size_Gibibytes(jsii.Number(10)),
	})
	labels := &map[string]*string{"app": jsii.String("web")}
	k8s.NewKubeDeployment(web, jsii.String("web"), &k8s.KubeDeploymentProps{Spec: &k8s.DeploymentSpec{
		Replicas: jsii.Number(3),
		Selector: &k8s.LabelSelector{MatchLabels: labels},
		Template: &k8s.PodTemplateSpec{
			Metadata: &k8s.ObjectMeta{Labels: labels},
			Spec: &k8s.PodSpec{
				Containers: &[]*k8s.Container{{
					Name:         jsii.String("web"),
					Image:        jsii.String("nginx:1.27"),
					VolumeMounts: &[]*k8s.VolumeMount{{Name: jsii.String("data"), MountPath: jsii.String("/data")}},
				}},
				Volumes: &[]*k8s.Volume{{
					Name:                  jsii.String("data"),
					PersistentVolumeClaim: &k8s.PersistentVolumeClaimVolumeSource{ClaimName: data.ClaimName()},
				}},
			},
		},
	}})
	defer func() {
		if err := recover(); err != nil {
			message = fmt.Sprint(err)
		}
	}()
	app.Synth()
	return ""
}
