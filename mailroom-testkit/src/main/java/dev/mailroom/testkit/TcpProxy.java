package dev.mailroom.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on a free port of 127.0.0.1 that a test controls, to cut a client off from a server
 * it talks to: {@link #reset()} resets every connection (the peers see a reset, and reconnect);
 * {@link #blackhole(boolean)} holds every byte both ways on the connections that are open, and new
 * connections unconnected, as a network partition does (no reset for the peers to see; what was
 * sent meanwhile arrives once it heals, as TCP retransmits it). One platform thread accepts; two
 * virtual threads copy each connection's bytes.
 */
public final class TcpProxy implements AutoCloseable {
  private final InetSocketAddress target;
  private final ServerSocket server;
  private final Thread acceptor;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Object held = new Object();
  private boolean blackhole; // guarded by held
  private volatile boolean closed;

  private TcpProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    this.acceptor =
        Thread.ofPlatform().daemon().name("tcp-proxy-" + server.getLocalPort()).start(this::accept);
  }

  /** A proxy to {@code host:port}. */
  public static TcpProxy to(String host, int port) {
    try {
      return new TcpProxy(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new IllegalStateException("cannot open a proxy port", e);
    }
  }

  /** The port clients connect to. */
  public int port() {
    return server.getLocalPort();
  }

  /** Resets every open connection (RST to both peers); new ones are accepted as before. */
  public void reset() {
    for (Socket s : sockets) {
      try {
        s.setSoLinger(true, 0);
        s.close();
      } catch (IOException e) {
        // already closed
      }
    }
    sockets.clear();
  }

  /**
   * While on, bytes either way are held, and a new connection is accepted but not connected to the
   * target; off, what was held goes on and held connections connect.
   */
  public void blackhole(boolean on) {
    synchronized (held) {
      blackhole = on;
      held.notifyAll();
    }
  }

  /** Waits while the proxy holds traffic (and is open). */
  private void awaitOpenRoad() throws InterruptedException {
    synchronized (held) {
      while (blackhole && !closed) {
        held.wait();
      }
    }
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      sockets.add(client);
      Thread.ofVirtual().start(() -> connect(client));
    }
  }

  private void connect(Socket client) {
    try {
      awaitOpenRoad();
      Socket upstream = new Socket();
      upstream.connect(target, 5_000);
      sockets.add(upstream);
      Thread.ofVirtual().start(() -> pump(client, upstream));
      pump(upstream, client);
    } catch (IOException | InterruptedException e) {
      closeQuietly(client);
    }
  }

  /** Copies bytes from {@code from} to {@code to}, holding them while blackholed. */
  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream()) {
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        awaitOpenRoad();
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // a reset or a close: end both directions
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void closeQuietly(Socket s) {
    sockets.remove(s);
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (held) {
      held.notifyAll();
    }
    try {
      server.close();
    } catch (IOException e) {
      // already closed
    }
    reset();
    try {
      acceptor.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
