package dev.mailroom.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The HTTPS listener of a server with {@link SecuritySettings#tls()}: TLS in front of HTTP/1.1
 * (WebSocket upgrades included) on the configured host and port, in place of plain HTTP. The key
 * store is read and checked when the server starts, so that a wrong path, type or password stops it
 * with a message that names the setting. Immutable.
 */
final class TlsListener {
  private final KeyStore keyStore;
  private final String password;

  private TlsListener(KeyStore keyStore, String password) {
    this.keyStore = keyStore;
    this.password = password;
  }

  /**
   * Reads the key store and checks that it holds a private key with its certificate, readable with
   * the password.
   *
   * @throws IllegalArgumentException naming the setting at fault, if it cannot be used
   */
  static TlsListener load(SecuritySettings.Tls tls) {
    Path file = tls.keyStore();
    char[] password = tls.password().toCharArray();
    KeyStore store;
    try (InputStream in = Files.newInputStream(file)) {
      store = KeyStore.getInstance(tls.type());
      store.load(in, password);
    } catch (NoSuchFileException e) {
      throw invalid("key-store", file + " does not exist");
    } catch (AccessDeniedException e) {
      throw invalid("key-store", file + " cannot be read (permission denied)");
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw invalid("key-store-password", "it does not open " + file);
      }
      throw invalid(
          "key-store", file + " is not a readable " + tls.type() + " key store: " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw invalid("key-store", file + " cannot be loaded: " + e.getMessage());
    }
    checkHasKey(store, file, password);
    return new TlsListener(store, tls.password());
  }

  private static void checkHasKey(KeyStore store, Path file, char[] password) {
    try {
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias) && store.getCertificate(alias) != null) {
          store.getKey(alias, password); // the key's password must be the key store's
          return;
        }
      }
    } catch (UnrecoverableKeyException e) {
      throw invalid(
          "key-store-password",
          "it opens " + file + " but not the private key in it (give the key the same password)");
    } catch (GeneralSecurityException e) {
      throw invalid("key-store", file + " cannot be read: " + e.getMessage());
    }
    throw invalid("key-store", file + " holds no private key with a certificate");
  }

  private static IllegalArgumentException invalid(String key, String problem) {
    return new IllegalArgumentException("invalid mailroom.tls." + key + ": " + problem);
  }

  /**
   * A listener with TLS on {@code host:port} in front of {@code h1}, the HTTP/1.1 connections made
   * with {@code http}.
   */
  ServerConnector connector(
      Server server, HttpConfiguration http, String host, int port, HttpConnectionFactory h1) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(keyStore);
    ssl.setKeyStorePassword(password);
    // Without the SNI host check: it answers 400 to any Host the certificate does not name, such
    // as a load balancer's health check by IP address, and with one certificate it guards nothing.
    http.addCustomizer(new SecureRequestCustomizer(false));
    ServerConnector connector =
        new ServerConnector(
            server, new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()), h1);
    connector.setHost(host);
    connector.setPort(port);
    return connector;
  }
}
