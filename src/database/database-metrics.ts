/**
 * The metrics exporter sidecar: postgres_exporter (port 9187) or mysqld_exporter (port 9104),
 * pinned images, with `prometheus.io/scrape|port|path` annotations on the pods.
 */
export interface DatabaseMetricsOptions {
  /**
   * The exporter image.
   * @default - quay.io/prometheuscommunity/postgres-exporter:v0.15.0 or prom/mysqld-exporter:v0.15.1
   */
  readonly image?: string;
}
