/**
 * Berth's orchestration core: desired state in, running replicas out. Packages follow the data flow
 * (DESIGN.md §2): api → model → store → controller → scheduler → runtime → probe → proxy; logs and metrics
 * on the side; engine hides whether the machine is this one or a Kubernetes cluster.
 */
package dev.berth.platform;
