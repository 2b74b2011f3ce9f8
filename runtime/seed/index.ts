export { CUSTOMER_SUPPORT_SAMPLES, DEMO_DATASET_NAME } from './customer-support-qa.js';
export { DEMO_PROJECT_NAME, type DemoSeed, seedDemo, seedDemoIfEmpty } from './demo.js';
