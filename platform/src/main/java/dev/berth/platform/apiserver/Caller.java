package dev.berth.platform.apiserver;

import dev.berth.platform.api.auth.Role;

/** Who sent a request: the token's user and the role it grants. */
public record Caller(String name, Role role) {}
