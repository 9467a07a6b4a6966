/**
 * Server-side printing: the {@code meta.k8s.io/v1 Table} kube-apiserver answers to
 * {@code Accept: application/json;as=Table;g=meta.k8s.io;v=v1}, with upstream's columns and cell values per kind
 * ({@code pkg/printers/internalversion/printers.go}, Kubernetes 1.35) and its default Name/Created At table for
 * kinds without handlers ({@code apiserver/pkg/registry/rest/table.go}). Pure: no HTTP, no store.
 */
package dev.berth.platform.apiserver.printing;
