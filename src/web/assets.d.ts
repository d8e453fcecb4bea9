// Files the build turns into hashed URLs (esbuild's file loader).
declare module "*.svg" {
  const url: string;
  export default url;
}
