/**
 * OpenAPI v3 of the Kubernetes API the core serves ({@code /openapi/v3} and one document per group version),
 * generated from fabric8's model classes and answered as bytes: no HTTP routing here.
 */
package dev.berth.platform.apiserver.openapi;
