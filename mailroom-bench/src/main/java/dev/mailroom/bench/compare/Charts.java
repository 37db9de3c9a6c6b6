package dev.mailroom.bench.compare;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;

/**
 * The report's charts, drawn by JFreeChart and written as SVG by JFreeSVG: grouped bars for
 * throughputs, lines on a logarithmic axis for latencies. The output depends only on the data
 * (fixed size, fixed element-id prefix), so regenerating from the same results gives the same
 * files.
 */
final class Charts {
  private static final int WIDTH = 760;
  private static final int HEIGHT = 380;
  private static final Color[] PALETTE = {
    new Color(0x1f77b4), // mailroom-sqlite
    new Color(0x17becf), // mailroom-redis
    new Color(0x7f7f7f), // mailroom-memory
    new Color(0xff7f0e),
    new Color(0x2ca02c),
    new Color(0xd62728),
    new Color(0x9467bd),
    new Color(0x8c564b),
  };

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Charts() {}

  /** A number format that does not depend on the machine's locale. */
  private static DecimalFormat format(String pattern) {
    return new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT));
  }

  /** Grouped bars: one group per category (row key), one bar per series (system). */
  static void bars(
      Path file, String title, String subtitle, String valueLabel, DefaultCategoryDataset data)
      throws IOException {
    JFreeChart chart =
        ChartFactory.createBarChart(
            title, null, valueLabel, data, PlotOrientation.VERTICAL, true, false, false);
    CategoryPlot plot = style(chart, subtitle);
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setItemMargin(0.05);
    renderer.setDefaultItemLabelGenerator(
        new StandardCategoryItemLabelGenerator("{2}", format("#,##0")));
    renderer.setDefaultItemLabelsVisible(true);
    renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
    colour(renderer, data);
    ((NumberAxis) plot.getRangeAxis()).setNumberFormatOverride(format("#,##0"));
    plot.getRangeAxis().setUpperMargin(0.12);
    write(chart, file);
  }

  /** Lines over the categories (e.g. rates), one per series, on a logarithmic value axis. */
  static void logLines(
      Path file,
      String title,
      String subtitle,
      String categoryLabel,
      String valueLabel,
      DefaultCategoryDataset data)
      throws IOException {
    JFreeChart chart =
        ChartFactory.createLineChart(
            title, categoryLabel, valueLabel, data, PlotOrientation.VERTICAL, true, false, false);
    CategoryPlot plot = style(chart, subtitle);
    LogAxis axis = new LogAxis(valueLabel);
    axis.setBase(10);
    axis.setSmallestValue(0.01);
    axis.setTickUnit(new NumberTickUnit(1.0, format("#,##0.##")));
    axis.setNumberFormatOverride(format("#,##0.##"));
    axis.setLabelFont(plot.getRangeAxis().getLabelFont());
    double min = Double.MAX_VALUE;
    double max = 0;
    for (int r = 0; r < data.getRowCount(); r++) {
      for (int c = 0; c < data.getColumnCount(); c++) {
        Number v = data.getValue(r, c);
        if (v != null && v.doubleValue() > 0) {
          min = Math.min(min, v.doubleValue());
          max = Math.max(max, v.doubleValue());
        }
      }
    }
    if (max > 0) {
      // Whole decades, so the ticks are 0.1, 1, 10, 100, ...
      double lower = Math.pow(10, Math.floor(Math.log10(min)));
      double upper = Math.pow(10, Math.ceil(Math.log10(max)));
      axis.setRange(lower, upper > lower ? upper : lower * 10);
    }
    plot.setRangeAxis(axis);
    LineAndShapeRenderer renderer = (LineAndShapeRenderer) plot.getRenderer();
    renderer.setDefaultShapesVisible(true);
    for (int i = 0; i < data.getRowCount(); i++) {
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    colour(renderer, data);
    write(chart, file);
  }

  private static CategoryPlot style(JFreeChart chart, String subtitle) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    if (!subtitle.isEmpty()) {
      TextTitle sub = new TextTitle(subtitle, new Font(Font.SANS_SERIF, Font.PLAIN, 10));
      chart.addSubtitle(sub);
    }
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlineVisible(false);
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    plot.setRangeGridlineStroke(new BasicStroke(0.5f));
    return plot;
  }

  /** Each system keeps its colour across charts: the palette index is its row in the data. */
  private static void colour(
      org.jfree.chart.renderer.category.AbstractCategoryItemRenderer renderer,
      DefaultCategoryDataset data) {
    for (int i = 0; i < data.getRowCount(); i++) {
      renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
    }
  }

  private static void write(JFreeChart chart, Path file) throws IOException {
    SVGGraphics2D g2 = new SVGGraphics2D(WIDTH, HEIGHT);
    g2.setDefsKeyPrefix(file.getFileName().toString().replaceAll("[^A-Za-z0-9]", "") + "_");
    chart.draw(g2, new Rectangle(0, 0, WIDTH, HEIGHT));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, g2.getSVGDocument() + "\n", StandardCharsets.UTF_8);
  }
}
