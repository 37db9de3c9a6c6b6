package dev.mailroom.protocol;

import java.util.List;

/**
 * A role and who holds it.
 *
 * @param builtIn {@code admin}, {@code agent} and {@code observer} are built in
 * @param members who holds it, by id: all of them, or only the first when more do than a server
 *     lists ({@code memberCount} says how many)
 * @param memberCount how many agents hold it; never less than the size of {@code members} (a server
 *     that does not send it listed every member, so it is then their number)
 */
public record RoleView(
    String name, boolean builtIn, String description, List<String> members, int memberCount) {
  public RoleView {
    members = List.copyOf(members);
    memberCount = Math.max(memberCount, members.size());
  }

  /** A role whose members are all listed. */
  public RoleView(String name, boolean builtIn, String description, List<String> members) {
    this(name, builtIn, description, members, members.size());
  }

  /** How many holders {@link #members} leaves out. */
  public int moreMembers() {
    return memberCount - members.size();
  }
}
