package dev.mailroom.bench.compare;

/** {@link NatsJetStreamSystem} on a {@code nats-server -js} of its own. */
class NatsJetStreamSystemIT extends AbstractPeerSystemIT {
  @Override
  MessagingSystem open() throws Exception {
    return NatsJetStreamSystem.startOwn();
  }
}
