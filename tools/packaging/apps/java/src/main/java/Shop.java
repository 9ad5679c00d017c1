import java.util.List;
import java.util.Map;

import org.cdk8s.App;
import org.cdk8s.AppProps;
import org.cdk8s.Chart;
import org.cdk8s.Size;
import org.cdk8s.plus28.k8s.*;
import dev.cdk8s_stateful.*;

public final class Shop {
  // A two-member PostgreSQL: a StatefulSet with one claim per member, a headless Service, ...
  static void database() {
    App app = new App(); // writes dist/
    Chart shop = new Chart(app, "shop");
    StatefulDatabase.Builder.create(shop, "orders")
        .engine(DatabaseEngine.postgres(EngineVersionOptions.builder().version("16.4").build()))
        .replicas(2)
        .storage(ClaimOptions.builder().size(Size.gibibytes(10)).build())
        .build();
    app.synth();
  }

  // The guards over any cdk8s app: three replicas of a Deployment on one ReadWriteOnce claim.
  // Synth throws the guards' findings (SG001 and SG002, the same text as in TypeScript).
  static String guarded() {
    App app = new App(AppProps.builder().outdir("dist-guarded").build());
    Guards.enable(app);
    Chart web = new Chart(app, "shop");
    PersistentClaim data = PersistentClaim.Builder.create(web, "data").size(Size.gibibytes(10)).build();
    Map<String, String> labels = Map.of("app", "web");
    KubeDeployment.Builder.create(web, "web").spec(DeploymentSpec.builder()
        .replicas(3)
        .selector(LabelSelector.builder().matchLabels(labels).build())
        .template(PodTemplateSpec.builder()
            .metadata(ObjectMeta.builder().labels(labels).build())
            .spec(PodSpec.builder()
                .containers(List.of(Container.builder().name("web").image("nginx:1.27")
                    .volumeMounts(List.of(VolumeMount.builder().name("data").mountPath("/data").build()))
                    .build()))
                .volumes(List.of(Volume.builder().name("data")
                    .persistentVolumeClaim(PersistentVolumeClaimVolumeSource.builder().claimName(data.getClaimName()).build())
                    .build()))
                .build())
            .build())
        .build()).build();
    try {
      app.synth();
      return null;
    } catch (RuntimeException error) {
      return error.getMessage();
    }
  }
}
