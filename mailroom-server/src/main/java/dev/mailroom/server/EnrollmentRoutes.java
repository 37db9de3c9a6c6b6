package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.AgentProfile;
import dev.mailroom.core.FieldErrors;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Principal;
import dev.mailroom.core.Role;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.AgentStore;
import dev.mailroom.core.spi.Enrollment;
import dev.mailroom.protocol.EnrollmentCreated;
import dev.mailroom.protocol.EnrollmentList;
import dev.mailroom.protocol.EnrollmentView;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Enrollment: an admin issues an enrollment secret (roles, uses, expiry, an optional id prefix)
 * with which agents register themselves ({@code POST /v1/agents/enroll}, the secret as the bearer
 * token), each receiving its own token; so an orchestrator spawns sub-agents without the admin
 * token. The secret is shown once and kept hashed. A registration with a secret that is unknown,
 * revoked, expired or used up is refused as a wrong token is (401), and counts against the address
 * as one.
 */
final class EnrollmentRoutes {
  /** The path of self-registration, which the enrollment secret authenticates, not a token. */
  static final String ENROLL_PATH = "/v1/agents/enroll";

  /**
   * Enrollment secrets start so, agent tokens with {@code mr_}: one is never taken for the other.
   */
  static final String SECRET_PREFIX = "mre_";

  private static final Set<String> FIELDS = Set.of("roles", "uses", "ttl_seconds", "id_prefix");
  private static final Set<String> ENROLL_FIELDS = AgentRoutes.fields("id");
  private static final Pattern ID_PREFIX = Pattern.compile("[A-Za-z0-9_-]{1,32}");
  private static final int MAX_USES = 10_000;
  private static final long MAX_TTL_SECONDS = Duration.ofDays(365).toSeconds();
  private static final long MAX_BODY_BYTES = 64 * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final AgentStore agents;
  private final AgentRoutes agentRoutes;
  private final RateLimits limits;
  private final InstantSource clock;
  private final JsonMapper mapper;
  private final Optional<Duration> defaultTokenTtl;

  EnrollmentRoutes(
      AgentStore agents,
      AgentRoutes agentRoutes,
      RateLimits limits,
      InstantSource clock,
      JsonMapper mapper,
      Optional<Duration> defaultTokenTtl) {
    this.agents = agents;
    this.agentRoutes = agentRoutes;
    this.limits = limits;
    this.clock = clock;
    this.mapper = mapper;
    this.defaultTokenTtl = defaultTokenTtl;
  }

  /** {@code POST /v1/enrollments} (admins): issues an enrollment and answers its secret, once. */
  void create(Context ctx) {
    Exchanges.requireAdmin(ctx, "issue enrollments");
    Principal caller = Exchanges.principal(ctx);
    ObjectNode body = JsonBodies.readObject(mapper, Exchanges.body(ctx, MAX_BODY_BYTES));
    FieldErrors errors = new FieldErrors();
    BodyFields fields = BodyFields.of(body, errors).allow(FIELDS);
    Set<Role> roles = agentRoutes.roles(body.get("roles"), errors, Set.of(Role.AGENT));
    Optional<Long> uses = fields.integer("uses", 1, MAX_USES);
    if (!body.hasNonNull("uses")) {
      errors.add(
          "uses", "is required: how many agents may register with it (1 to " + MAX_USES + ")");
    }
    Optional<Long> ttl = fields.integer("ttl_seconds", 1, MAX_TTL_SECONDS);
    if (!body.hasNonNull("ttl_seconds")) {
      errors.add("ttl_seconds", "is required: how long it may be used, in seconds");
    }
    Optional<String> prefix = fields.string("id_prefix");
    if (prefix.isPresent() && !ID_PREFIX.matcher(prefix.get()).matches()) {
      errors.add("id_prefix", "must be 1-32 characters of A-Z a-z 0-9 _ -");
    }
    errors.throwIfAny();

    Instant now = clock.instant();
    String secret = SECRET_PREFIX + Tokens.generate().substring(Tokens.PREFIX.length());
    int n = uses.orElseThrow().intValue();
    Enrollment enrollment =
        new Enrollment(
            "enr_" + HexFormat.of().formatHex(randomBytes(8)),
            roles,
            n,
            n,
            now,
            now.plusSeconds(ttl.orElseThrow()),
            prefix,
            caller.id());
    Exchanges.auditResource(ctx, enrollment.id());
    agents.createEnrollment(enrollment, Tokens.hash(secret));
    ctx.header("Location", "/v1/enrollments/" + enrollment.id());
    Exchanges.json(ctx, mapper, 201, new EnrollmentCreated(view(enrollment), secret));
  }

  /** {@code GET /v1/enrollments} (admins): every enrollment not revoked, used up ones too. */
  void list(Context ctx) {
    Exchanges.requireAdmin(ctx, "list enrollments");
    Exchanges.json(
        ctx,
        mapper,
        200,
        new EnrollmentList(agents.enrollments().stream().map(EnrollmentRoutes::view).toList()));
  }

  /** {@code DELETE /v1/enrollments/{id}} (admins): its secret registers nobody from now on. */
  void revoke(Context ctx) {
    Exchanges.requireAdmin(ctx, "revoke enrollments");
    String id = ctx.pathParam("id");
    if (id.length() > 64 || !agents.deleteEnrollment(id)) {
      throw new MailroomException.NotFound("no enrollment " + abbreviate(id));
    }
    ctx.status(204);
  }

  /**
   * {@code POST /v1/agents/enroll}, authenticated by an enrollment secret: registers the agent the
   * body names (its id, and its profile) with the enrollment's roles, and answers its own token.
   */
  void enroll(Context ctx) {
    String authorization = Authenticator.authorization(ctx.req().getHeaders("Authorization"));
    String secret = Authenticator.bearerToken(authorization);
    if (!secret.startsWith(SECRET_PREFIX)) {
      // Refused without a lookup, and not noted as a failed credential: an agent's own token sent
      // here by mistake must not count as one that failed.
      throw new MailroomException.Unauthenticated(
          "the bearer token is not an enrollment secret (they start with " + SECRET_PREFIX + ")");
    }
    String hash = Tokens.hash(secret);
    // Checked before the body is read, and counted as a wrong token when it fails.
    Enrollment enrollment =
        limits.admit(
            () -> usable(hash),
            // Its registrations are taken from a rate of their own, the enrollment's.
            e -> new AgentRecord(AgentId.of(e.id()), Set.of(), e.createdAt()),
            Optional.of(hash),
            ctx.ip());
    ObjectNode body = JsonBodies.readObject(mapper, Exchanges.body(ctx, MAX_BODY_BYTES));
    FieldErrors errors = new FieldErrors();
    BodyFields fields = BodyFields.of(body, errors).allow(ENROLL_FIELDS);
    Optional<AgentId> id =
        fields.requiredString("id").flatMap(s -> errors.capture("id", () -> AgentId.of(s)));
    if (id.isPresent()
        && enrollment.idPrefix().isPresent()
        && !id.get().value().startsWith(enrollment.idPrefix().get())) {
      errors.add("id", "must start with '" + enrollment.idPrefix().get() + "' for this enrollment");
    }
    Optional<AgentProfile> profile = AgentDirectory.profile(body, errors, AgentProfile.EMPTY);
    errors.throwIfAny();
    Exchanges.auditResource(ctx, id.orElseThrow().value());

    String token = Tokens.generate();
    Instant now = clock.instant();
    AgentRecord agent =
        new AgentRecord(id.orElseThrow(), enrollment.roles(), now, defaultTokenTtl.map(now::plus))
            .withProfile(profile.orElseThrow());
    switch (agents.enroll(hash, agent, Tokens.hash(token), now)) {
      case Enrollment.Outcome.Enrolled enrolled -> {
        ctx.header("Location", "/v1/agents/" + agent.id().value());
        Exchanges.json(ctx, mapper, 201, AgentRoutes.issued(agent, token));
      }
      case Enrollment.Outcome.Refused refused -> throw refusal(refused.reason());
    }
  }

  /** The enrollment of a secret, if it may register one more agent now. */
  private Enrollment usable(String hash) {
    Enrollment e =
        agents.findEnrollment(hash).orElseThrow(() -> refusal(Enrollment.Reason.UNKNOWN));
    if (e.expired(clock.instant())) {
      throw refusal(Enrollment.Reason.EXPIRED);
    }
    if (e.remaining() == 0) {
      throw refusal(Enrollment.Reason.USED_UP);
    }
    return e;
  }

  private static MailroomException.Unauthenticated refusal(Enrollment.Reason reason) {
    return new MailroomException.Unauthenticated(
        switch (reason) {
          case UNKNOWN -> "the enrollment secret is not valid (unknown or revoked)";
          case EXPIRED -> "the enrollment secret has expired";
          case USED_UP -> "the enrollment secret has no uses left";
        });
  }

  static EnrollmentView view(Enrollment e) {
    return new EnrollmentView(
        e.id(),
        AgentDirectory.names(e.roles()),
        e.uses(),
        e.remaining(),
        e.createdAt(),
        e.expiresAt(),
        e.idPrefix(),
        e.issuer().value());
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static String abbreviate(String id) {
    return id.length() <= 64 ? id : id.substring(0, 61) + "...";
  }
}
