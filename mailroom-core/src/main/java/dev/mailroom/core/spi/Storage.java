package dev.mailroom.core.spi;

/**
 * One storage backend: the stores that share its connections, plus its health. Closing it stops its
 * background work and releases its resources; it is safe to close twice.
 */
public interface Storage extends AutoCloseable {

  MessageStore messages();

  AgentStore agents();

  DeliveryStore deliveries();

  TopicStore topics();

  /** The access policy: permission rules and custom roles. */
  AccessStore access();

  /** The audit log. */
  AuditStore audit();

  /** Where uploads and attachments keep their bytes. */
  BlobStore blobs();

  /** Reservations of paths in projects. */
  ReservationStore reservations();

  /** Obligations of messages and the receipt marks of their recipients. */
  ObligationStore obligations();

  /** Which agents are connected to some node, and when each was last seen. */
  PresenceStore presence();

  StoreHealth health();

  /**
   * Sets the one listener told about every change this store commits, whichever node made it
   * (replacing the previous one; {@link ChangeListener#NONE} until then).
   */
  void listen(ChangeListener listener);

  /**
   * Sets the one observer told how long each unit of the store's work takes (replacing the previous
   * one; {@link StoreObserver#NONE} until then). A store without such units (one in memory) never
   * calls it.
   */
  void observe(StoreObserver observer);

  @Override
  void close();
}
