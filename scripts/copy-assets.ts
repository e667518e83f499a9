console.log("assets");
