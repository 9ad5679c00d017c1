from cdk8s import App, Chart, Size
from cdk8s_plus_28 import k8s
from cdk8s_stateful import ClaimOptions, DatabaseEngine, Guards, PersistentClaim, StatefulDatabase

# A two-member PostgreSQL: a StatefulSet with one claim per member, a headless Service, ...
app = App()  # writes dist/
shop = Chart(app, "shop")
StatefulDatabase(shop, "orders",
    engine=DatabaseEngine.postgres(version="16.4"),
    replicas=2,
    storage=ClaimOptions(size=Size.gibibytes(10)),
)
app.synth()

# The guards over any cdk8s app: three replicas of a Deployment on one ReadWriteOnce claim.
guarded = App(outdir="dist-guarded")
Guards.enable(guarded)
web = Chart(guarded, "shop")
data = PersistentClaim(web, "data", size=Size.gibibytes(10))
k8s.KubeDeployment(web, "web", spec=k8s.DeploymentSpec(
    replicas=3,
    selector=k8s.LabelSelector(match_labels={"app": "web"}),
    template=k8s.PodTemplateSpec(
        metadata=k8s.ObjectMeta(labels={"app": "web"}),
        spec=k8s.PodSpec(
            containers=[k8s.Container(name="web", image="nginx:1.27",
                volume_mounts=[k8s.VolumeMount(name="data", mount_path="/data")])],
            volumes=[k8s.Volume(name="data",
                persistent_volume_claim=k8s.PersistentVolumeClaimVolumeSource(claim_name=data.claim_name))],
        ),
    ),
))
try:
    guarded.synth()
    message = None
except Exception as error:  # SG001 and SG002, the same text as in TypeScript
    message = str(error)
