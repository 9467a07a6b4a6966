package dev.berth.platform.apiserver.defaults;

import static dev.berth.platform.apiserver.defaults.PodDefaults.orEmpty;

import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeSource;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** core/v1's defaults for volumes and claims ({@code pkg/apis/core/v1/defaults.go}). Stateless. */
public final class VolumeDefaults {

    /** 0644, upstream's {@code SecretVolumeSourceDefaultMode} and its ConfigMap, DownwardAPI and Projected twins. */
    static final int DEFAULT_MODE = 0644;
    private static final long TOKEN_EXPIRATION_SECONDS = 3600;

    private VolumeDefaults() {}

    /**
     * {@code SetDefaults_Volume}: a volume naming no source is an emptyDir; then its source's defaults: defaultMode
     * 0644 (420) for secret, configMap, downwardAPI and projected, hostPath type "" ({@code HostPathUnset}), field
     * references' apiVersion v1, a projected token's expirationSeconds 3600, an ephemeral claim's volumeMode.
     */
    public static void setDefaultsVolume(Volume v) {
        if (Stream.of(v.getAwsElasticBlockStore(), v.getAzureDisk(), v.getAzureFile(), v.getCephfs(), v.getCinder(), v.getConfigMap(),
                v.getCsi(), v.getDownwardAPI(), v.getEmptyDir(), v.getEphemeral(), v.getFc(), v.getFlexVolume(), v.getFlocker(),
                v.getGcePersistentDisk(), v.getGitRepo(), v.getGlusterfs(), v.getHostPath(), v.getImage(), v.getIscsi(), v.getNfs(),
                v.getPersistentVolumeClaim(), v.getPhotonPersistentDisk(), v.getPortworxVolume(), v.getProjected(), v.getQuobyte(),
                v.getRbd(), v.getScaleIO(), v.getSecret(), v.getStorageos(), v.getVsphereVolume()).allMatch(Objects::isNull)) {
            v.setEmptyDir(new EmptyDirVolumeSource());
        }
        if (v.getSecret() != null && v.getSecret().getDefaultMode() == null) {
            v.getSecret().setDefaultMode(DEFAULT_MODE);
        }
        if (v.getConfigMap() != null && v.getConfigMap().getDefaultMode() == null) {
            v.getConfigMap().setDefaultMode(DEFAULT_MODE);
        }
        setDefaultsDownwardAPI(v.getDownwardAPI());
        setDefaultsProjected(v.getProjected());
        if (v.getHostPath() != null && v.getHostPath().getType() == null) {
            v.getHostPath().setType("");
        }
        if (v.getEphemeral() != null && v.getEphemeral().getVolumeClaimTemplate() != null) {
            setDefaultsPersistentVolumeClaimSpec(v.getEphemeral().getVolumeClaimTemplate().getSpec());
        }
    }

    private static void setDefaultsDownwardAPI(DownwardAPIVolumeSource source) {
        if (source == null) {
            return;
        }
        if (source.getDefaultMode() == null) {
            source.setDefaultMode(DEFAULT_MODE);
        }
        files(source.getItems());
    }

    private static void setDefaultsProjected(ProjectedVolumeSource source) {
        if (source == null) {
            return;
        }
        if (source.getDefaultMode() == null) {
            source.setDefaultMode(DEFAULT_MODE);
        }
        for (VolumeProjection p : orEmpty(source.getSources())) {
            if (p.getDownwardAPI() != null) {
                files(p.getDownwardAPI().getItems());
            }
            if (p.getServiceAccountToken() != null && p.getServiceAccountToken().getExpirationSeconds() == null) {
                p.getServiceAccountToken().setExpirationSeconds(TOKEN_EXPIRATION_SECONDS);
            }
        }
    }

    private static void files(List<DownwardAPIVolumeFile> items) {
        for (DownwardAPIVolumeFile f : orEmpty(items)) {
            PodDefaults.setDefaultsObjectFieldSelector(f.getFieldRef());
        }
    }

    /** {@code SetDefaults_PersistentVolumeClaim} (status phase Pending) and its spec's. */
    public static void setDefaultsPersistentVolumeClaim(PersistentVolumeClaim claim) {
        if (claim.getStatus() == null) {
            claim.setStatus(new PersistentVolumeClaimStatus());
        }
        if (AppsV1Defaults.empty(claim.getStatus().getPhase())) {
            claim.getStatus().setPhase("Pending");
        }
        if (claim.getSpec() == null) {
            claim.setSpec(new PersistentVolumeClaimSpec());
        }
        setDefaultsPersistentVolumeClaimSpec(claim.getSpec());
    }

    /** {@code SetDefaults_PersistentVolumeClaimSpec}: volumeMode Filesystem. */
    public static void setDefaultsPersistentVolumeClaimSpec(PersistentVolumeClaimSpec spec) {
        if (spec != null && spec.getVolumeMode() == null) {
            spec.setVolumeMode("Filesystem");
        }
    }
}
