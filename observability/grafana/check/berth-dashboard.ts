// The shapes the Berth dashboards are type-checked against, built from Grafana's published types (@grafana/schema).
// `Dashboard` alone types panel options and queries as Record<string, unknown>; BerthDashboard narrows each panel
// type we use to its published options and field config, so a misspelt option or a wrong enum value fails too.
import type { DataQuery, DataSourceRef, FieldConfigSource, GridPos, Panel, RowPanel, Dashboard, VariableModel } from '@grafana/schema';
import type * as bargauge from '@grafana/schema/dist/esm/raw/composable/bargauge/panelcfg/x/BarGaugePanelCfg_types.gen';
import type * as stat from '@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen';
import type * as timeseries from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';

/**
 * What a JSON file can hold where the types say T. A TypeScript string enum (ThresholdsMode, BigValueColorMode, ...)
 * only accepts its members, but JSON can only hold their values ("absolute"): `${E}` is the union of those values.
 * Numeric enums already accept their literal values; everything else maps through unchanged.
 */
export type JsonOf<T> =
  T extends string ? `${T}` :
  T extends number | boolean | null | undefined ? T :
  T extends ReadonlyArray<infer E> ? Array<JsonOf<E>> :
  T extends object ? { [K in keyof T]: JsonOf<T[K]> } :
  T;

/**
 * A Prometheus query as Grafana's Prometheus data source stores it (its PromQuery model: expr, legendFormat, range,
 * instant, format, editorMode, ...). @grafana/schema does not ship the Prometheus query type, so this is ours,
 * limited to the fields Grafana's Prometheus query editor writes.
 */
export interface PromTarget extends DataQuery {
  datasource: DataSourceRef;
  expr: string;
  editorMode?: 'code' | 'builder';
  legendFormat?: string;
  range?: boolean;
  instant?: boolean;
  exemplar?: boolean;
  format?: 'time_series' | 'table' | 'heatmap';
  interval?: string;
  intervalFactor?: number;
}

/** A panel of one visualization: its published options and custom field config, Prometheus targets, a place. */
type PanelOf<Type extends string, Options, Custom = Record<string, unknown>> =
  Omit<Panel, 'type' | 'id' | 'title' | 'gridPos' | 'datasource' | 'options' | 'fieldConfig' | 'targets'> & {
    type: Type;
    id: number;
    title: string;
    gridPos: GridPos;
    datasource: DataSourceRef;
    options: Options;
    fieldConfig: FieldConfigSource<Custom>;
    targets: PromTarget[];
  };

export type BerthPanel =
  | PanelOf<'timeseries', timeseries.Options, timeseries.FieldConfig>
  | PanelOf<'stat', stat.Options>
  | PanelOf<'bargauge', bargauge.Options>;

/** A row; collapsed rows carry their panels, expanded ones have them after the row at the top level. */
export type BerthRow = Omit<RowPanel, 'panels' | 'gridPos' | 'title'> & { gridPos: GridPos; title: string; panels: BerthPanel[] };

export type BerthDashboard = Omit<Dashboard, 'uid' | 'title' | 'panels' | 'templating'> & {
  uid: string;
  title: string;
  panels: Array<BerthPanel | BerthRow>;
  templating: { list: VariableModel[] };
};
