/** Settings: the CSTA-readable list, name rules, the dummy.htm write and settings.xml read. */
export * from './names';
export { buildWebSettingsWrite, encodeSettingValue, parseSettingsXml } from './web';
