// Live metrics (MonitoringService.StreamMetrics, admins only): request rate and latency charts (uPlot), and a
// table of the busiest methods for readers who cannot see the charts.
import { timestampMs } from "@bufbuild/protobuf/wkt";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { monitoring } from "../client.js";
import { h, replace } from "../dom.js";
import { describe, isCanceled } from "../errors.js";
import type { PageContext } from "../main.js";

const keep = 120; // points: two minutes at one a second
const rateMetric = "grpc.requests.rate|";
const p50Metric = "grpc.latency.p50_ms|";
const p99Metric = "grpc.latency.p99_ms|";

interface Method {
  rate: number;
  p50: number;
  p99: number;
}

export const page = {
  title: "Metrics",
  mount(root: HTMLElement, { signal }: PageContext): void {
    const status = h("p", { class: "status", role: "status" }, "Waiting for the first figures…");
    const rateBox = h("figure", { class: "chart", id: "rate-chart" }, h("figcaption", {}, "Requests per second, all methods"));
    const latencyBox = h("figure", { class: "chart", id: "latency-chart" }, h("figcaption", {}, "Latency in ms: the slowest method's p50 and p99"));
    const tableBody = h("tbody");
    root.append(
      h("h1", { tabindex: -1 }, "Metrics"),
      status,
      h("div", { class: "columns even" }, rateBox, latencyBox),
      h(
        "section",
        { "aria-labelledby": "busiest" },
        h("h2", { id: "busiest" }, "Methods in the last second"),
        h("div", { class: "scroll" }, h("table", {}, h("thead", {}, h("tr", {}, ...["Method", "Requests/s", "p50 ms", "p99 ms"].map((c) => h("th", { scope: "col" }, c)))), tableBody)),
      ),
    );

    const times: number[] = [];
    const rates: number[] = [];
    const p50s: number[] = [];
    const p99s: number[] = [];
    const width = (box: HTMLElement) => Math.max(240, Math.min(720, box.clientWidth || 320));
    const axes = (label: string): uPlot.Axis[] => [{ stroke: "#1f1f1f" }, { label, stroke: "#1f1f1f", size: 60 }];
    const rateChart = new uPlot(
      { width: width(rateBox), height: 220, scales: { x: { time: true } }, axes: axes("req/s"), series: [{}, { label: "requests/s", stroke: "#0b57d0", width: 2, fill: "rgba(11,87,208,0.12)" }] },
      [times, rates],
      rateBox,
    );
    const latencyChart = new uPlot(
      {
        width: width(latencyBox),
        height: 220,
        scales: { x: { time: true } },
        axes: axes("ms"),
        series: [{}, { label: "p50", stroke: "#146c2e", width: 2 }, { label: "p99", stroke: "#b3261e", width: 2 }],
      },
      [times, p50s, p99s],
      latencyBox,
    );
    const resize = () => {
      rateChart.setSize({ width: width(rateBox), height: 220 });
      latencyChart.setSize({ width: width(latencyBox), height: 220 });
    };
    window.addEventListener("resize", resize);
    signal.addEventListener("abort", () => {
      window.removeEventListener("resize", resize);
      rateChart.destroy();
      latencyChart.destroy();
    });

    // One MetricData per service per tick, all of a tick with the same timestamp: a tick's point grows as its
    // services arrive.
    let methods = new Map<string, Method>();
    function add(at: number, metrics: Record<string, number>): void {
      if (times[times.length - 1] !== at) {
        times.push(at);
        rates.push(0);
        p50s.push(0);
        p99s.push(0);
        methods = new Map();
        if (times.length > keep) for (const series of [times, rates, p50s, p99s]) series.shift();
      }
      const last = times.length - 1;
      for (const [name, value] of Object.entries(metrics)) {
        const method = name.slice(name.indexOf("method=") + "method=".length);
        const entry = methods.get(method) ?? { rate: 0, p50: 0, p99: 0 };
        if (name.startsWith(rateMetric)) {
          rates[last] += value;
          entry.rate = value;
        } else if (name.startsWith(p50Metric)) {
          p50s[last] = Math.max(p50s[last], value);
          entry.p50 = value;
        } else if (name.startsWith(p99Metric)) {
          p99s[last] = Math.max(p99s[last], value);
          entry.p99 = value;
        } else continue;
        methods.set(method, entry);
      }
      rateChart.setData([times, rates]);
      latencyChart.setData([times, p50s, p99s]);
      rateBox.dataset.points = String(times.length);
      latencyBox.dataset.points = String(times.length);
      const busiest = [...methods].filter(([, m]) => m.rate > 0).sort((a, b) => b[1].rate - a[1].rate).slice(0, 10);
      replace(
        tableBody,
        ...busiest.map(([name, m]) => h("tr", {}, h("th", { scope: "row" }, name), h("td", { class: "num" }, m.rate.toFixed(1)), h("td", { class: "num" }, m.p50.toFixed(1)), h("td", { class: "num" }, m.p99.toFixed(1)))),
      );
      if (busiest.length === 0) tableBody.append(h("tr", {}, h("td", { colspan: 4 }, "No calls finished in the last second.")));
      replace(status, `${rates[last].toFixed(1)} requests/s at ${new Date(at * 1000).toLocaleTimeString()}.`);
    }

    void (async () => {
      try {
        const stream = monitoring.streamMetrics({ interval: { seconds: 1n }, metricNames: [`${rateMetric}*`, `${p50Metric}*`, `${p99Metric}*`] }, { signal });
        for await (const data of stream) add(data.timestamp ? timestampMs(data.timestamp) / 1000 : Date.now() / 1000, data.metrics);
        replace(status, "The server ended the metrics stream; open the page again to restart it.");
      } catch (error) {
        if (!signal.aborted && !isCanceled(error)) replace(status, h("span", { class: "error", role: "alert" }, describe(error)));
      }
    })();
  },
};
