package io.basalt.chaos.report;

import io.basalt.chaos.history.FaultWindow;
import io.basalt.chaos.history.History;
import io.basalt.chaos.history.Op;
import io.basalt.chaos.history.Operation;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's charts, as PNG files: latency of every operation over time, and throughput per
 * second, both with the fault windows shaded so one sees what each fault did to the clients.
 */
public final class Plots {

    static {
        // Reports are written on CI machines and servers without a display.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    public static final int WIDTH = 1200;
    public static final int HEIGHT = 500;
    /** Points per latency series at most: a long run has millions of operations; every n-th is kept. */
    static final int POINTS_PER_SERIES_MAX = 20_000;
    /** Latencies below this are drawn at it: a log axis cannot show 0. */
    private static final double LATENCY_FLOOR_MS = 0.01;

    private static final Color OK = new Color(0x2e, 0x7d, 0x32);
    private static final Color FAIL = new Color(0xc6, 0x28, 0x28);
    private static final Color INFO = new Color(0xef, 0x8f, 0x00);
    private static final Color FAULT_FILL = new Color(0xd0, 0x40, 0x40);

    private Plots() {}

    /** Latency (ms, log scale) against invocation time (s), one series per kind of operation and outcome. */
    public static void latency(History history, List<FaultWindow> faults, Path png) throws IOException {
        Map<String, List<double[]>> points = new LinkedHashMap<>();
        Map<String, Op.Type> outcomeOf = new LinkedHashMap<>();
        Map<String, Op.Fn> fnOf = new LinkedHashMap<>();
        for (Operation o : history.operations()) {
            if (o.completion() == null) {
                continue; // never completed: no latency to show
            }
            String series = o.f().name().toLowerCase(Locale.ROOT) + " " + o.outcome().name().toLowerCase(Locale.ROOT);
            double ms = Math.max(LATENCY_FLOOR_MS, (o.completion().nanos() - o.startNanos()) / 1e6);
            points.computeIfAbsent(series, k -> new ArrayList<>()).add(new double[] {o.startNanos() / 1e9, ms});
            outcomeOf.put(series, o.outcome());
            fnOf.put(series, o.f());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        int index = 0;
        for (Map.Entry<String, List<double[]>> e : points.entrySet()) {
            XYSeries series = new XYSeries(e.getKey(), false, true);
            List<double[]> p = e.getValue();
            int stride = Math.max(1, (p.size() + POINTS_PER_SERIES_MAX - 1) / POINTS_PER_SERIES_MAX);
            for (int i = 0; i < p.size(); i += stride) {
                series.add(p.get(i)[0], p.get(i)[1], false);
            }
            data.addSeries(series);
            renderer.setSeriesPaint(index, colour(outcomeOf.get(e.getKey())));
            renderer.setSeriesShape(index, shape(fnOf.get(e.getKey())));
            index++;
        }
        LogAxis y = new LogAxis("latency (ms)");
        y.setSmallestValue(LATENCY_FLOOR_MS);
        // one tick per decade, written as plain milliseconds (0.1, 1, 10, 100) rather than 10^x
        y.setAutoTickUnitSelection(false);
        y.setTickUnit(new NumberTickUnit(1.0));
        y.setNumberFormatOverride(new DecimalFormat("0.##", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        XYPlot plot = new XYPlot(data, timeAxis(), y, renderer);
        shadeFaults(plot, faults);
        save(new JFreeChart("Latency", JFreeChart.DEFAULT_TITLE_FONT, plot, true), png);
    }

    /** Completions per one-second bucket: OK, and FAIL or INFO. */
    public static void throughput(History history, List<FaultWindow> faults, Path png) throws IOException {
        TreeMap<Long, long[]> buckets = new TreeMap<>();
        long last = 0;
        for (Operation o : history.operations()) {
            if (o.completion() == null) {
                continue;
            }
            long second = o.completion().nanos() / 1_000_000_000L;
            last = Math.max(last, second);
            buckets.computeIfAbsent(second, s -> new long[2])[o.ok() ? 0 : 1]++;
        }
        XYSeries ok = new XYSeries("ok/s", true, false);
        XYSeries notOk = new XYSeries("fail or info/s", true, false);
        // drawn as steps, each bucket flat over its second, so a dip lines up with its fault
        for (long s = 0; s <= last + 1 && !buckets.isEmpty(); s++) {
            long[] counts = buckets.getOrDefault(Math.min(s, last), new long[2]);
            ok.add(s, counts[0]);
            notOk.add(s, counts[1]);
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(ok);
        data.addSeries(notOk);
        XYStepRenderer renderer = new XYStepRenderer();
        renderer.setSeriesPaint(0, OK);
        renderer.setSeriesPaint(1, FAIL);
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        renderer.setSeriesStroke(1, new BasicStroke(2f));
        NumberAxis y = new NumberAxis("operations per second");
        XYPlot plot = new XYPlot(data, timeAxis(), y, renderer);
        shadeFaults(plot, faults);
        save(new JFreeChart("Throughput", JFreeChart.DEFAULT_TITLE_FONT, plot, true), png);
    }

    private static NumberAxis timeAxis() {
        NumberAxis x = new NumberAxis("time since start (s)");
        x.setAutoRangeIncludesZero(true);
        return x;
    }

    private static void shadeFaults(XYPlot plot, List<FaultWindow> faults) {
        for (FaultWindow f : faults) {
            IntervalMarker marker = new IntervalMarker(f.startNanos() / 1e9, f.endNanos() / 1e9);
            marker.setPaint(FAULT_FILL);
            marker.setAlpha(0.15f);
            plot.addDomainMarker(marker, Layer.BACKGROUND);
            // the label on a transparent twin: a marker's alpha would fade its label too
            IntervalMarker label = new IntervalMarker(f.startNanos() / 1e9, f.endNanos() / 1e9);
            label.setPaint(new Color(0, 0, 0, 0));
            label.setOutlinePaint(null);
            label.setLabel(f.nemesis());
            label.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
            label.setLabelPaint(FAULT_FILL.darker());
            label.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            label.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            plot.addDomainMarker(label, Layer.FOREGROUND);
        }
    }

    private static Color colour(Op.Type outcome) {
        return switch (outcome) {
            case OK -> OK;
            case FAIL -> FAIL;
            default -> INFO;
        };
    }

    /** Reads as circles, writes as squares, swaps and compare-and-sets as diamonds: colour says the outcome. */
    private static Shape shape(Op.Fn f) {
        return switch (f) {
            case READ, READ_COUNTER, READ_SET, READ_LIST -> new Ellipse2D.Double(-2, -2, 4, 4);
            case SWAP, CAS -> ShapeUtils.createDiamond(3);
            default -> new Rectangle2D.Double(-2, -2, 4, 4);
        };
    }

    private static void save(JFreeChart chart, Path png) throws IOException {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getXYPlot().setBackgroundPaint(Color.WHITE);
        chart.getXYPlot().setDomainGridlinePaint(Color.LIGHT_GRAY);
        chart.getXYPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }
}
