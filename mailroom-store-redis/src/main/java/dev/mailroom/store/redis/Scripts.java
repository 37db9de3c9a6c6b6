package dev.mailroom.store.redis;

/** Every Lua script of the store, loaded once from the classpath. */
final class Scripts {
  private final Script send = Script.load("send", "search_common", "send_core");
  private final Script sendBatch = Script.load("send_batch", "search_common", "send_core");
  private final Script ack = Script.load("ack");
  private final Script attempts = Script.load("attempts");
  private final Script dead = Script.load("dead");
  private final Script replay = Script.load("replay");
  private final Script purgeDead = Script.load("purge_dead");
  private final Script deleteSubscription = Script.load("delete_sub");
  private final Script createAgent = Script.load("agent_create");
  private final Script updateAgent = Script.load("agent_update");
  private final Script deleteAgent = Script.load("agent_delete");
  private final Script purgeAgent = Script.load("agent_purge", "search_common");
  private final Script forgetAgent = Script.load("agent_forget");
  private final Script createEnrollment = Script.load("enroll_create");
  private final Script deleteEnrollment = Script.load("enroll_delete");
  private final Script enroll = Script.load("enroll");
  private final Script seen = Script.load("presence_seen");
  private final Script replacePolicy = Script.load("policy");
  private final Script appendAudit = Script.load("audit_append");
  private final Script purgeAudit = Script.load("audit_purge");
  private final Script read = Script.load("read");
  private final Script cleanup = Script.load("cleanup", "search_common");
  private final Script search = Script.load("search");
  private final Script searchFill = Script.load("search_fill", "search_common");
  private final Script threadIndex = Script.load("thread_index");
  private final Script configureTopic = Script.load("topic_configure");
  private final Script deleteTopic = Script.load("topic_delete");
  private final Script peak = Script.load("peak");
  private final Script reserve = Script.load("reservation_reserve");
  private final Script renewReservation = Script.load("reservation_renew");
  private final Script releaseReservation = Script.load("reservation_release");
  private final Script purgeReservations = Script.load("reservation_purge");
  private final Script openObligation = Script.load("obligation_open", "obligation_common");
  private final Script meetObligation = Script.load("obligation_meet", "obligation_common");
  private final Script noticeObligation = Script.load("obligation_noticed", "obligation_common");
  private final Script readObligations = Script.load("obligation_read", "obligation_common");
  private final Script purgeObligations = Script.load("obligation_purge", "obligation_common");
  private final Script recordMarks = Script.load("receipt_marks");
  private final Script purgeMarks = Script.load("receipt_marks_purge");
  private final Script saveSubscription = Script.load("sub_save");
  private final Script createTopic = Script.load("topic_create");
  private final Script deliver = Script.load("deliver", "search_common", "send_core");
  private final Script done = Script.load("done");
  private final Script clearSubscription = Script.load("sub_clear");
  private final Script topicMailbox = Script.load("topic_mailbox");
  private final Script agentMailbox = Script.load("agent_mailbox");
  private final Script claimNode = Script.load("node_claim");
  private final Script blobCreate = Script.load("blob_create", "blob_common");
  private final Script blobBegin = Script.load("blob_begin", "blob_common");
  private final Script blobPart = Script.load("blob_part", "blob_common");
  private final Script blobUnpart = Script.load("blob_unpart", "blob_common");
  private final Script blobComplete = Script.load("blob_complete", "blob_common");
  private final Script blobTouch = Script.load("blob_touch", "blob_common");
  private final Script blobRemove = Script.load("blob_remove", "blob_common");
  private final Script blobForget = Script.load("blob_forget", "blob_common");

  Script createEnrollment() {
    return createEnrollment;
  }

  Script deleteEnrollment() {
    return deleteEnrollment;
  }

  Script enroll() {
    return enroll;
  }

  Script seen() {
    return seen;
  }

  Script blobCreate() {
    return blobCreate;
  }

  Script blobBegin() {
    return blobBegin;
  }

  Script blobPart() {
    return blobPart;
  }

  Script blobUnpart() {
    return blobUnpart;
  }

  Script blobComplete() {
    return blobComplete;
  }

  Script blobTouch() {
    return blobTouch;
  }

  Script blobRemove() {
    return blobRemove;
  }

  Script blobForget() {
    return blobForget;
  }

  Script claimNode() {
    return claimNode;
  }

  Script deliver() {
    return deliver;
  }

  Script done() {
    return done;
  }

  Script clearSubscription() {
    return clearSubscription;
  }

  Script topicMailbox() {
    return topicMailbox;
  }

  Script agentMailbox() {
    return agentMailbox;
  }

  Script createTopic() {
    return createTopic;
  }

  Script saveSubscription() {
    return saveSubscription;
  }

  Script send() {
    return send;
  }

  Script sendBatch() {
    return sendBatch;
  }

  Script ack() {
    return ack;
  }

  Script attempts() {
    return attempts;
  }

  Script dead() {
    return dead;
  }

  Script replay() {
    return replay;
  }

  Script purgeDead() {
    return purgeDead;
  }

  Script deleteSubscription() {
    return deleteSubscription;
  }

  Script createAgent() {
    return createAgent;
  }

  Script updateAgent() {
    return updateAgent;
  }

  Script deleteAgent() {
    return deleteAgent;
  }

  Script purgeAgent() {
    return purgeAgent;
  }

  Script forgetAgent() {
    return forgetAgent;
  }

  Script replacePolicy() {
    return replacePolicy;
  }

  Script appendAudit() {
    return appendAudit;
  }

  Script purgeAudit() {
    return purgeAudit;
  }

  Script read() {
    return read;
  }

  Script cleanup() {
    return cleanup;
  }

  Script search() {
    return search;
  }

  Script searchFill() {
    return searchFill;
  }

  Script threadIndex() {
    return threadIndex;
  }

  Script configureTopic() {
    return configureTopic;
  }

  Script deleteTopic() {
    return deleteTopic;
  }

  Script peak() {
    return peak;
  }

  Script reserve() {
    return reserve;
  }

  Script renewReservation() {
    return renewReservation;
  }

  Script releaseReservation() {
    return releaseReservation;
  }

  Script purgeReservations() {
    return purgeReservations;
  }

  Script openObligation() {
    return openObligation;
  }

  Script meetObligation() {
    return meetObligation;
  }

  Script noticeObligation() {
    return noticeObligation;
  }

  Script readObligations() {
    return readObligations;
  }

  Script purgeObligations() {
    return purgeObligations;
  }

  Script recordMarks() {
    return recordMarks;
  }

  Script purgeMarks() {
    return purgeMarks;
  }
}
