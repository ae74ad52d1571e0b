import { Input, InputNumber, Select, type FormItemProps } from 'antd';
import type { FieldDef } from './config-api.ts';
import { orderNoPattern } from './model.ts';

/** The input for one custom field, by its type (a date is an ISO date, as the server stores it). */
export function FieldInput({
  id,
  def,
  value,
  onChange,
  disabled,
}: {
  /** Given by Form.Item, so its label points at the control (defect 10). */
  id?: string;
  def: FieldDef;
  value?: unknown;
  onChange?: (value: unknown) => void;
  disabled?: boolean;
}) {
  const change = (v: unknown) => onChange?.(v === '' || v === undefined ? null : v);
  switch (def.type) {
    case 'number':
      return (
        <InputNumber
          id={id}
          value={typeof value === 'number' ? value : null}
          onChange={change}
          disabled={disabled}
          style={{ width: '100%' }}
        />
      );
    case 'select':
      return (
        <Select
          id={id}
          allowClear
          value={typeof value === 'string' ? value : undefined}
          onChange={change}
          disabled={disabled}
          options={def.options.map((o) => ({ value: o, label: o }))}
        />
      );
    case 'date':
      return (
        <Input
          id={id}
          type="date"
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => change(e.target.value)}
          disabled={disabled}
        />
      );
    default:
      // Phone and e-mail values arrive masked for roles without customers.pii; typing replaces them.
      return (
        <Input
          id={id}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => change(e.target.value)}
          disabled={disabled}
          allowClear
          type={def.type === 'email' ? 'email' : 'text'}
          inputMode={def.type === 'phone' ? 'tel' : undefined}
        />
      );
  }
}

/** Client-side checks matching the server's, so most mistakes show next to the field. */
export function fieldRules(def: FieldDef, orderNoMessage: string): NonNullable<FormItemProps['rules']> {
  if (def.type === 'order_number') return [{ pattern: orderNoPattern, message: orderNoMessage }];
  if (def.type === 'text') return [{ max: 5000 }];
  return [];
}
