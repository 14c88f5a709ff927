package io.github.multiproc.benchmarks.suite;

import java.util.List;
import java.util.Locale;

/**
 * Draws the warm-up curves as an SVG line chart: items/s (log scale) of each successive map of
 * one fresh pool, ours and the peer's; the medians over the repetitions as bold lines, every
 * repetition as a thin one. Hand-written SVG, like {@link BarChart}.
 */
final class WarmupChart {

  private static final int LEFT = 70;
  private static final int TOP = 40;
  private static final int WIDTH = 640;
  private static final int HEIGHT = 300;
  private static final String OURS = "#1565c0";
  private static final String PEER = "#ef6c00";

  private WarmupChart() {}

  static String render(String title, UserLevel.Curve curve) {
    double min = Double.MAX_VALUE;
    double max = 0;
    int maps = 0;
    for (List<double[]> side : List.of(curve.ours(), curve.peer())) {
      for (double[] run : side) {
        maps = Math.max(maps, run.length);
        for (double v : run) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    double lo = Math.floor(Math.log10(Math.max(min, 1)));
    double hi = Math.ceil(Math.log10(Math.max(max, 10)));
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n",
        LEFT + WIDTH + 230, TOP + HEIGHT + 50));
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
        escape(title)));
    for (int d = (int) lo; d <= (int) hi; d++) {
      for (int k = 1; k < 10; k++) {
        double v = Math.log10(k) + d;
        if (v > hi) {
          break;
        }
        double y = y(v, lo, hi);
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>%n",
            LEFT, y, LEFT + WIDTH, y, k == 1 ? "#bbb" : "#eee"));
        if (k == 1 || k == 3) {
          svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#555\">%s</text>%n",
              LEFT - 6, y + 4, label(k * Math.pow(10, d))));
        }
      }
    }
    for (int m = 1; m <= maps; m++) {
      if (m == 1 || m % 5 == 0) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%d</text>%n",
            x(m, maps), TOP + HEIGHT + 16, m));
      }
    }
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#333\">map of one fresh pool</text>%n",
        LEFT + WIDTH / 2, TOP + HEIGHT + 36));
    svg.append(String.format(Locale.ROOT,
        "<text x=\"14\" y=\"%d\" fill=\"#333\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">items/s (log)</text>%n",
        TOP + HEIGHT / 2, TOP + HEIGHT / 2));
    for (double[] run : curve.ours()) {
      svg.append(polyline(run, maps, lo, hi, OURS, 0.8, 0.3));
    }
    for (double[] run : curve.peer()) {
      svg.append(polyline(run, maps, lo, hi, PEER, 0.8, 0.3));
    }
    svg.append(polyline(curve.oursMedian(), maps, lo, hi, OURS, 2.5, 1));
    svg.append(polyline(curve.peerMedian(), maps, lo, hi, PEER, 2.5, 1));
    int lx = LEFT + WIDTH + 16;
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2.5\"/>%n",
        lx, TOP + 10, lx + 24, TOP + 10, OURS));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">multiproc ProcessPool(2), median</text>%n",
        lx + 30, TOP + 14));
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2.5\"/>%n",
        lx, TOP + 32, lx + 24, TOP + 32, PEER));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s, median</text>%n", lx + 30, TOP + 36,
        escape(curve.peerName())));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#777\">thin lines: each repetition</text>%n",
        lx, TOP + 58));
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static String polyline(double[] rates, int maps, double lo, double hi, String color, double width,
      double opacity) {
    StringBuilder points = new StringBuilder();
    for (int i = 0; i < rates.length; i++) {
      points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(i + 1, maps), y(Math.log10(Math.max(rates[i], 1)), lo, hi)));
    }
    return String.format(Locale.ROOT,
        "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\" stroke-opacity=\"%.2f\"/>%n",
        points.toString().strip(), color, width, opacity);
  }

  private static double x(int map, int maps) {
    return LEFT + WIDTH * (map - 1) / (double) Math.max(1, maps - 1);
  }

  private static double y(double log, double lo, double hi) {
    return TOP + HEIGHT * (hi - log) / (hi - lo);
  }

  private static String label(double v) {
    if (v >= 1e6) {
      return String.format(Locale.ROOT, "%.0fM", v / 1e6);
    }
    if (v >= 1e3) {
      return String.format(Locale.ROOT, "%.0fk", v / 1e3);
    }
    return String.format(Locale.ROOT, "%.0f", v);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
